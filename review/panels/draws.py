"""The random draw of experts, reproducible from its seed (pure Python, no Django).

Each candidate's place is the SHA-256 of ``"<seed>:<expert id>"``; the draw takes the candidates in
ascending order of that hash. Anyone holding the recorded seed and pool can replay a draw with any
SHA-256 tool, and no one can steer it without choosing the seed, which is made by ``secrets``.
"""

import hashlib
import secrets
from collections.abc import Iterable


def new_seed() -> str:
    return secrets.token_hex(16)


def draw_key(seed: str, expert_id: int) -> str:
    return hashlib.sha256(f"{seed}:{expert_id}".encode()).hexdigest()


def draw_order(seed: str, pool: Iterable[int]) -> list[int]:
    """The whole pool in draw order."""
    return sorted(set(pool), key=lambda expert_id: (draw_key(seed, expert_id), expert_id))


def draw(seed: str, pool: Iterable[int], count: int) -> list[int]:
    """The first ``count`` experts of the pool in draw order (fewer when the pool is smaller)."""
    return draw_order(seed, pool)[: max(count, 0)]


def replays(seed: str, pool: Iterable[int], count: int, drawn: list[int]) -> bool:
    """Whether the recorded result is what the seed and pool give."""
    return draw(seed, pool, count) == list(drawn)
