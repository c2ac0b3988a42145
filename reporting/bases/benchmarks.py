"""The bases' pages in `make bench`: the public list and statistics, the staff list, the funding
totals and a base page."""

from shaoxing_bases.core.benchmarking import Target, register_targets


class _LazyTarget:
    """A page whose address depends on the data (a base): found when the bench runs."""

    expected_status = 200

    def __init__(self, label: str, username: str, find, fallback: str) -> None:
        self.label, self.username, self._find, self._fallback = label, username, find, fallback

    @property
    def path(self) -> str:
        """The page, or (no base yet) the list it is reached from."""
        return self._find() or self._fallback

    @property
    def identity(self) -> str:
        return self.username


def base_page_path() -> str | None:
    from ..models import FundingRecord

    record = FundingRecord.objects.order_by("base_id").first()
    return f"/bases/{record.base_id}/" if record else None


register_targets(
    Target("实训基地名单（公众）", "/bases/"),
    Target("实训基地统计分析（公众）", "/bases/statistics/"),
    Target("实训基地管理（市人力社保局）", "/bases/manage/", "city_hrss"),
    Target("经费支持（市财政局）", "/bases/funding/", "city_finance"),
    _LazyTarget("基地详情（市人力社保局）", "city_hrss", base_page_path, "/bases/manage/"),  # type: ignore[arg-type]
)
