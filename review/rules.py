"""django-rules autodiscovers one ``rules`` module per app: the stages' permissions."""

from .decisions import rules as decisions_rules  # noqa: F401
from .panels import rules as panels_rules  # noqa: F401
from .screening import rules as screening_rules  # noqa: F401
