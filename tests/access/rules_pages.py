"""Access rules of the public pages around the portal: the Measures and the guides per role."""

from .matrix import PUBLIC, Rule

RULES: dict[str, Rule] = {
    "core:measures": Rule(PUBLIC),
    "core:help_index": Rule(PUBLIC),
    "core:help": Rule(PUBLIC, kwargs=lambda user, users: {"audience": "applicant"}),
}
