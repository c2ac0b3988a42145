"""django-rules autodiscovers one ``rules`` module per app: the stages' permissions."""

from .screening import rules as screening_rules  # noqa: F401
