"""Bulk rows for `seed_scale` (see `review.panels.scale`): placeholder, filled below."""


def seed_panels(factor: float) -> list[str]:
    return []
