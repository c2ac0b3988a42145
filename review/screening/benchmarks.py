"""The county screening's pages in `make bench`."""

from shaoxing_bases.core.benchmarking import Target, register_targets

register_targets(
    Target("区县初审队列（越城区人社局）", "/review/", "yuecheng_hrss"),
    Target("各区县推荐情况（市人社局）", "/review/city/", "city_hrss"),
)
