"""Template helpers of the applications app: state badges."""

from django import template

from ..enums import ApplicationState
from ..workflow.dashboard import STATE_TONES

register = template.Library()


@register.filter
def state_tone(state: str) -> str:
    """Bootstrap colour of an application state's badge: {{ application.state|state_tone }}."""
    return (
        STATE_TONES.get(ApplicationState(state), "secondary")
        if state in ApplicationState.values
        else "secondary"
    )
