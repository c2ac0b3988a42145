"""Render our own Django templates to PDF (WeasyPrint) and to their HTML twin.

Two rules from DESIGN.md §7/§8 shape this module:

* WeasyPrint would happily read ``file://`` and ``http(s)://`` URLs found in a template (``<img>``,
  ``@import``, ``url()``). A document that embeds ``/etc/passwd`` or reaches the network from a
  Celery worker is a security defect, so the fetcher allows only ``data:`` URIs and *stops the
  render* for anything else rather than silently leaving a hole in an official document.
* ``base_url=None``: relative URLs cannot be resolved at all, so nothing outside the rendered HTML
  string can leak in through a path either.

Fonts come from fontconfig (the CJK families named in the templates); a fresh
:class:`~weasyprint.text.fonts.FontConfiguration` per render keeps ``@font-face`` rules of one
document from leaking into the next and lets WeasyPrint delete its temporary font folder.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

ALLOWED_URL_SCHEMES = frozenset({"data"})


class DocumentRenderError(Exception):
    """A document could not be rendered (a refused resource, a broken data: URI)."""


class RefusedURLError(ValueError):
    """The template asked for a resource outside the rendered HTML (file://, http://, ...)."""


class DataOnlyURLFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves ``data:`` URIs and refuses every other scheme.

    ``fail_on_errors=True`` makes WeasyPrint turn our refusal into a fatal error: the default
    behaviour (log a warning and render without the image/stylesheet) would ship a document with a
    silent hole in it.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=tuple(ALLOWED_URL_SCHEMES), fail_on_errors=True)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        # Checked here as well as through allowed_protocols so that the refusal does not depend on
        # WeasyPrint's internals, and happens before any urllib handler (FileHandler!) is reached.
        scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
        if scheme not in ALLOWED_URL_SCHEMES:
            raise RefusedURLError(f"documents may only embed data: URIs, refused {url[:200]!r}")
        return super().fetch(url, headers)


def render_html(template_name: str, context: dict[str, Any]) -> str:
    """Render the HTML twin of a document (the exact markup the PDF is made from)."""
    return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict[str, Any], *, pdf_variant: str | None = None) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes.

    Raises :class:`DocumentRenderError` when the template refers to anything but a ``data:`` URI.
    Fonts are subset and embedded by WeasyPrint (HarfBuzz when ``libharfbuzz-subset0`` is
    installed; without it a CJK notice takes seconds instead of a fraction of one).
    """
    return html_to_pdf(render_html(template_name, context), pdf_variant=pdf_variant)


def html_to_pdf(html: str, *, pdf_variant: str | None = None) -> bytes:
    """Turn already rendered document HTML into PDF bytes under the same fetch restrictions.

    ``pdf_variant="pdf/a-3b"`` archives it as PDF/A-3b (what ``documents.signing`` issues).
    """
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=None, url_fetcher=DataOnlyURLFetcher())
    try:
        return document.write_pdf(font_config=font_config, pdf_variant=pdf_variant)
    except FatalURLFetchingError as error:
        # FatalURLFetchingError derives from BaseException so that WeasyPrint's own handlers do
        # not swallow it; callers (views, Celery tasks) expect an ordinary exception.
        raise DocumentRenderError(str(error.__cause__ or error)) from error
