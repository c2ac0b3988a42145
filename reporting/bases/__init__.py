"""The training bases themselves: the public list, the statistics, the base page, the dashboards."""
