"""Shaoxing's six county-level divisions (行政区划代码), in the order the bureau lists them."""

SHAOXING_CITY_CODE = "330600"

SHAOXING_COUNTIES: tuple[tuple[str, str], ...] = (
    ("330602", "越城区"),
    ("330603", "柯桥区"),
    ("330604", "上虞区"),
    ("330624", "新昌县"),
    ("330681", "诸暨市"),
    ("330683", "嵊州市"),
)


def ensure_shaoxing_counties():
    """Create or refresh the six counties. The data migration loads them; this serves seeding and
    tests that run after a database flush (transactional tests empty every table)."""
    from .models import Region

    for order, (code, name) in enumerate(SHAOXING_COUNTIES, start=1):
        Region.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
