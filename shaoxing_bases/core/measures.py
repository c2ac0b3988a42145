"""The Measures (绍市人社发〔2022〕47号) that the portal implements, offered to everyone as a web page and
a PDF download.

The text lives in the project (`templates/core/measures/_text.html`), never read from outside it at
run time. The PDF is rendered once from our own GB/T 9704 templates by `manage.py render_measures`
into `static/` and committed: rendering it per request would cost a second of CPU to anybody who
asks. `tests/core/test_measures.py` checks that the committed file carries the template's text.
"""

from pathlib import Path

from django.conf import settings

from shaoxing_bases.documents.rendering import render_pdf
from shaoxing_bases.documents.samples import specimen_context

#: Under STATIC_URL; an ASCII name so that every browser and mail gateway keeps it intact.
PDF_PATH = "docs/shaoxing-measures-2022-47.pdf"
DOC_NUMBER = "绍市人社发〔2022〕47号"
TEMPLATE = "core/measures/document.html"


def measures_context() -> dict:
    """The notice as published: the specimen's header, title and date, without the specimen's
    illustrative 抄送 line and 附注 (the published notice has neither)."""
    context = specimen_context()
    context.pop("cc", None)
    context.pop("note", None)
    return context


def measures_pdf() -> bytes:
    return render_pdf(TEMPLATE, measures_context())


def static_pdf_file() -> Path:
    """Where the committed PDF lives in the source tree (the first STATICFILES_DIRS entry)."""
    return Path(settings.BASE_DIR) / "static" / PDF_PATH
