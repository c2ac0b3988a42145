"""The annual reports in `make bench`: the county's review queue and the city's overview (a year of
3,000 bases' reports at provincial scale, paginated)."""

from shaoxing_bases.core.benchmarking import Target, register_targets

register_targets(
    Target("年度报告审核（越城区人力社保局）", "/annual-reports/county/", "yuecheng_hrss"),
    Target("各区县年度报告（市人力社保局）", "/annual-reports/city/", "city_hrss"),
)
