"""Template rules that axe-core only finds on pages a browser test happens to open."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SCROLLER = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-responsive\b[^\"]*\"[^>]*>")


def test_every_scrolling_table_can_be_reached_and_named_by_keyboard_users():
    """A .table-responsive scrolls sideways on a phone: keyboard users must be able to focus it
    (axe: scrollable-region-focusable) and screen readers must hear what it holds."""
    missing = []
    for template in TEMPLATES.rglob("*.html"):
        for tag in SCROLLER.findall(template.read_text(encoding="utf-8")):
            if not all(attribute in tag for attribute in ('tabindex="0"', 'role="region"', "aria-label=")):
                missing.append(f"{template.relative_to(TEMPLATES)}: {tag}")
    assert missing == []
