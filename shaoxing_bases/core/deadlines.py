"""How long until a deadline, in the words every page uses.

Deadlines are exclusive: at ``now == deadline`` the window has closed, exactly as the services
refuse (``now >= deadline``), so the page and the rule never disagree about the last second.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

#: Less time than this left: the page shows the deadline as urgent.
URGENT = timedelta(days=3)


@dataclass(frozen=True)
class Countdown:
    deadline: datetime
    remaining: timedelta

    @property
    def passed(self) -> bool:
        return self.remaining <= timedelta(0)

    @property
    def urgent(self) -> bool:
        return not self.passed and self.remaining < URGENT

    @property
    def left(self) -> str:
        """ "3 天 5 小时", "5 小时 7 分钟", "42 分钟", "不足 1 分钟" (empty once passed)."""
        if self.passed:
            return ""
        days = self.remaining.days
        hours, rest = divmod(self.remaining.seconds, 3600)
        minutes = rest // 60
        if days:
            return f"{days} 天 {hours} 小时"
        if hours:
            return f"{hours} 小时 {minutes} 分钟"
        return f"{minutes} 分钟" if minutes else "不足 1 分钟"

    @property
    def text(self) -> str:
        """ "剩余 3 天 5 小时", or "已截止"."""
        return "已截止" if self.passed else f"剩余 {self.left}"

    def until(self, what: str) -> str:
        """ "距申报截止还有 3 天 5 小时", or "已截止"."""
        return "已截止" if self.passed else f"距{what}还有 {self.left}"


def countdown(deadline: datetime, now: datetime | None = None) -> Countdown:
    return Countdown(deadline=deadline, remaining=deadline - (now or timezone.now()))
