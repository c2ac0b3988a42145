"""What the publicity stage adds to the batch's stages (registered from ``ReviewConfig.ready``):
publishing the notice when the batch goes to publicity, and the batch concluding only once the
window has ended and every objection is resolved (which concludes the notice with it)."""

from applications.batches.services import register_transition_effect, register_transition_readiness

from .services import publicity_on_batch_conclude, publicity_publish, publicity_readiness

register_transition_effect("start_publicity", publicity_publish)
register_transition_readiness("conclude", publicity_readiness)
register_transition_effect("conclude", publicity_on_batch_conclude)
