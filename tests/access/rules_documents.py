"""Access rules of the public document check (/verify/): anyone, signed in or not."""

from .matrix import PUBLIC, Rule

RULES: dict[str, Rule] = {
    "documents:verify": Rule(PUBLIC),
}
