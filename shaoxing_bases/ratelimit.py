"""Counting requests per key in a fixed window, in the shared cache (Redis in every deployed tier,
so all web workers count together)."""

from django.core.cache import cache


def within_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one more request under `key` in its current window; False once over `limit`.

    The window starts with the first request under the key and lasts `window_seconds`
    (``cache.add`` keeps the expiry of an existing counter, ``incr`` does not extend it)."""
    key = f"ratelimit:{key}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
