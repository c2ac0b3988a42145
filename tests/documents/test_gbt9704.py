"""GB/T 9704 text helpers and template filters."""

from datetime import UTC, date, datetime

import pytest

from shaoxing_bases.documents.gbt9704 import (
    format_cc,
    format_cn_date,
    format_doc_number,
    masthead_font_size,
)
from shaoxing_bases.documents.templatetags.gbt9704 import cn_date


def test_doc_number_full_year_no_leading_zero():
    assert format_doc_number("绍市人社发", 2026, 5) == "绍市人社发〔2026〕5号"
    assert format_doc_number("绍市人社发", 2022, 47) == "绍市人社发〔2022〕47号"


@pytest.mark.parametrize(
    ("prefix", "year", "seq"), [("", 2026, 1), ("绍市人社发", 26, 1), ("绍市人社发", 2026, 0)]
)
def test_doc_number_rejects_invalid_parts(prefix, year, seq):
    with pytest.raises(ValueError, match="发文"):
        format_doc_number(prefix, year, seq)


def test_cn_date_uses_arabic_numerals_without_padding():
    assert format_cn_date(date(2026, 9, 1)) == "2026年9月1日"
    assert format_cn_date(date(2026, 12, 31)) == "2026年12月31日"


def test_cn_date_filter_takes_the_shanghai_calendar_date():
    # 20:00 UTC on 31 August is already 1 September in Shaoxing.
    assert cn_date(datetime(2026, 8, 31, 20, 0, tzinfo=UTC)) == "2026年9月1日"
    assert cn_date(None) == ""


def test_cc_list_ends_with_full_stop():
    assert (
        format_cc(["浙江省人力资源和社会保障厅", "浙江省财政厅"])
        == "浙江省人力资源和社会保障厅，浙江省财政厅。"
    )
    assert format_cc([]) == ""


MEASURE_PT = 156 / 25.4 * 72


@pytest.mark.parametrize(
    ("names", "suffix"),
    [
        (["绍兴市人力资源和社会保障局", "绍兴市财政局"], "文件"),
        (["绍兴市柯桥区人力资源和社会保障局"], "文件"),
        (["绍兴市柯桥区人力资源和社会保障局"], ""),
    ],
)
def test_masthead_size_keeps_the_longest_name_on_one_line(names, suffix):
    size = masthead_font_size(names, suffix)
    suffix_width = (len(suffix) + 0.25) * 36 if suffix else 0
    assert size <= 28
    assert max(map(len, names)) * size + suffix_width <= MEASURE_PT


def test_masthead_size_is_capped_for_short_names():
    assert masthead_font_size(["绍兴市财政局"], "文件") == 28.0
