"""A fixed-window request counter in the cache (Redis in production), for public forms that must not
be flooded: the objection form, the receipt lookup.

``within_limit(key, limit, window_seconds)`` counts one more request under ``key`` and answers whether
it is still within ``limit`` for the current window. The counter is created with ``cache.add`` (one
writer wins) and raised with ``cache.incr`` (atomic in Redis and in the local-memory cache), so two
requests at the same moment both count.
"""

from django.core.cache import cache


def within_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one more request under ``key``; False once more than ``limit`` fell in the window."""
    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
