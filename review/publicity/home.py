"""The publicity stage's section of the public home page: the notices open for objections now, with a
link to every notice (公示公告)."""

from django.utils import timezone

from shaoxing_bases.core.home import HomeSection, register_home_section

from .selectors import public_notices, window_text


def _notices(user) -> dict:
    now = timezone.now()
    current = [
        notice for notice in public_notices(now).filter(ends_at__gt=now)[:5] if notice.accepts_objections(now)
    ]
    return {"notices": [(notice, window_text(notice)) for notice in current]}


register_home_section(
    HomeSection(key="publicity", template="review/publicity/public/_home.html", context=_notices, order=20)
)
