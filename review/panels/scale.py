"""Provincial scale for `manage.py seed_scale`: a panel per batch and ~90,000 scores."""

from shaoxing_bases.core.scale import register_scale


@register_scale("panels", order=30)
def seed_scale_panels(factor: float) -> list[str]:
    from .scale_seed import seed_panels

    return seed_panels(factor)
