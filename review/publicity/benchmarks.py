"""The publicity stage in `make bench`: the public notice list (公示公告, anyone) and the city's list
of its notices."""

from shaoxing_bases.core.benchmarking import Target, register_targets

register_targets(
    Target("公示公告（公众）", "/gongshi/"),
    Target("评审结果公示（市人力社保局）", "/review/publicity/", "city_hrss"),
)
