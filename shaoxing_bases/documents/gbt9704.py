"""Plain GB/T 9704-2012 text rules shared by the document kinds (no Django imports, fast to test)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def format_doc_number(prefix: str, year: int, seq: int) -> str:
    """发文字号, e.g. ``format_doc_number("绍市人社发", 2026, 5) == "绍市人社发〔2026〕5号"``.

    GB/T 9704 7.2.5: the year in full inside 六角括号 〔〕, the sequence without 第 and without
    leading zeros (1, not 01) — an int cannot carry a leading zero, which is why ``seq`` is one.
    """
    if not prefix:
        raise ValueError("发文机关代字不能为空")
    if year < 1000 or seq < 1:
        raise ValueError(f"无效的发文字号：{year}年 第{seq}号")
    return f"{prefix}〔{year}〕{seq}号"


def format_cn_date(value: date) -> str:
    """成文日期 in Arabic numerals without padding: ``date(2026, 9, 1)`` → ``"2026年9月1日"``.

    Callers holding an aware datetime must convert it to Asia/Shanghai first (the template filter
    ``cn_date`` does): the document date is the local calendar date.
    """
    return f"{value.year}年{value.month}月{value.day}日"


def format_cc(names: Iterable[str] | str) -> str:
    """抄送机关 list: separated by full-width commas and ended with 。 (GB/T 9704 7.4.2)."""
    if isinstance(names, str):
        return names
    joined = "，".join(name.strip() for name in names if name and name.strip())
    return f"{joined}。" if joined else ""


# 版心 width: 156 mm in points.
MEASURE_PT = 156 / 25.4 * 72


def masthead_font_size(
    names: Iterable[str], suffix: str = "", *, largest: float = 28.0, suffix_pt: float = 36.0
) -> float:
    """Point size for the red 发文机关标志 so that the longest name (plus "文件") fits the 版心.

    GB/T 9704 leaves the size to the issuer ("醒目、美观、庄重"); a fixed size would wrap a long
    district bureau name onto two lines. Every character is counted as one em (CJK is full width,
    so this is exact for Chinese names and conservative for digits), with 2pt of slack.
    """
    longest = max((len(name) for name in names), default=0)
    if longest == 0:
        return largest
    suffix_width = (len(suffix) + 0.25) * suffix_pt if suffix else 0.0
    fitting = (MEASURE_PT - suffix_width - 2) / longest
    return round(min(largest, fitting), 1)
