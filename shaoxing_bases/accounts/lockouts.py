"""Login lockouts (django-axes) in the portal's words: attempts left, when a lock ends, who is locked.

django-axes counts failures per username + client address (``AXES_LOCKOUT_PARAMETERS``) in its
``AccessAttempt`` rows, one per user agent; a row counts while its last failure is younger than
``AXES_COOLOFF_TIME``. A pair is locked while the failures of its counting rows reach
``AXES_FAILURE_LIMIT``, so the lock ends when enough of the newest failures have aged out: for one
row (the usual case) its last failure plus the cool-off.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from .models import User


def failure_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def cooloff() -> timedelta:
    return settings.AXES_COOLOFF_TIME


def cooloff_minutes() -> int:
    return int(cooloff().total_seconds() // 60)


def attempts_left(failures: int) -> int:
    """Failed logins still allowed before the lock (0: the next failure locks, or it is locked)."""
    return max(failure_limit() - failures, 0)


def _unlocks_at(attempts: Iterable[AccessAttempt]) -> datetime | None:
    """When the pair stops being locked, or None when it is not locked (`attempts` still counting)."""
    total = 0
    for attempt in sorted(attempts, key=lambda row: row.attempt_time, reverse=True):
        total += attempt.failures_since_start
        if total >= failure_limit():
            return attempt.attempt_time + cooloff()
    return None


@dataclass(frozen=True)
class Lockout:
    """One username locked from one client address."""

    username: str
    ip_address: str | None
    failures: int
    last_attempt: datetime
    unlocks_at: datetime
    #: The account of that name, if there is one (attackers try names that do not exist).
    user: User | None = None


def _counting(now: datetime):
    return AccessAttempt.objects.filter(attempt_time__gte=now - cooloff())


def lockout_of(username: str, ip_address: str | None, now: datetime | None = None) -> Lockout | None:
    """The lock on `username` from `ip_address`, or None when the pair may try again. One query."""
    now = now or timezone.now()
    attempts = list(_counting(now).filter(username=username, ip_address=ip_address))
    unlocks_at = _unlocks_at(attempts)
    if unlocks_at is None:
        return None
    return Lockout(
        username=username,
        ip_address=ip_address,
        failures=sum(attempt.failures_since_start for attempt in attempts),
        last_attempt=max(attempt.attempt_time for attempt in attempts),
        unlocks_at=unlocks_at,
    )


def locked_accounts(now: datetime | None = None) -> list[Lockout]:
    """Every username + address locked now, the lock ending last first, with the accounts behind
    the names. Two queries whatever the number of locks (attempts, then users)."""
    now = now or timezone.now()
    pairs: dict[tuple[str, str | None], list[AccessAttempt]] = defaultdict(list)
    for attempt in _counting(now).exclude(username__isnull=True):
        pairs[(attempt.username, attempt.ip_address)].append(attempt)
    locked = []
    for (username, ip_address), attempts in pairs.items():
        unlocks_at = _unlocks_at(attempts)
        if unlocks_at is not None and unlocks_at > now:
            locked.append((username, ip_address, attempts, unlocks_at))
    users = {user.username: user for user in User.objects.filter(username__in={row[0] for row in locked})}
    return sorted(
        (
            Lockout(
                username=username,
                ip_address=ip_address,
                failures=sum(attempt.failures_since_start for attempt in attempts),
                last_attempt=max(attempt.attempt_time for attempt in attempts),
                unlocks_at=unlocks_at,
                user=users.get(username),
            )
            for username, ip_address, attempts, unlocks_at in locked
        ),
        key=lambda lockout: (lockout.unlocks_at, lockout.username),
        reverse=True,
    )
