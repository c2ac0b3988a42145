"""Shaoxing's six county-level divisions (行政区划代码), in the order the bureau lists them."""

SHAOXING_CITY_CODE = "330600"

SHAOXING_COUNTIES: tuple[tuple[str, str, str], ...] = (
    # (行政区划代码, name, the usual 机关代字 of its HRSS bureau)
    ("330602", "越城区", "越人社"),
    ("330603", "柯桥区", "柯人社"),
    ("330604", "上虞区", "虞人社"),
    ("330624", "新昌县", "新人社"),
    ("330681", "诸暨市", "诸人社"),
    ("330683", "嵊州市", "嵊人社"),
)


def ensure_shaoxing_counties():
    """Create or refresh the six counties. The data migration loads them; this serves seeding and
    tests that run after a database flush (transactional tests empty every table)."""
    from .models import Region

    for order, (code, name, prefix) in enumerate(SHAOXING_COUNTIES, start=1):
        region, _created = Region.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
        if not region.doc_prefix:
            Region.objects.filter(pk=region.pk).update(doc_prefix=prefix)
