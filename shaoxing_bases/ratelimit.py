"""A fixed-window request counter in the cache (Redis in production, shared by every web process)."""

from __future__ import annotations

from django.core.cache import cache


def within_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one more request under ``key``; False once more than ``limit`` fell in this window.

    The window opens with the first request (``cache.add`` only sets a missing key) and the count
    rises atomically (``incr``), so concurrent requests from several processes are all counted.
    """
    full_key = f"ratelimit:{key}"
    cache.add(full_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.set(full_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
