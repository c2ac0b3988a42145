"""What the expert review adds to the batch's stages (registered from ``ReviewConfig.ready``)."""

from applications.batches.services import register_transition_effect, register_transition_readiness

from .services import expert_review_open, expert_review_readiness, publicity_readiness

register_transition_readiness("start_expert_review", expert_review_readiness)
register_transition_effect("start_expert_review", expert_review_open)
register_transition_readiness("start_publicity", publicity_readiness)
