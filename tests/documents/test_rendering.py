"""render_pdf / render_html and the data:-only URL fetcher."""

import base64
import io

import pytest
from django.template import engines
from pypdf import PdfReader
from weasyprint.urls import URLFetcher

from shaoxing_bases.documents import rendering
from shaoxing_bases.documents.rendering import (
    DataOnlyURLFetcher,
    DocumentRenderError,
    RefusedURLError,
    html_to_pdf,
    render_html,
)
from shaoxing_bases.documents.samples import specimen_context

# A 1×1 transparent PNG.
PNG_DATA_URI = (
    "data:image/png;base64,"
    + base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c63f8cfc0f01f0005050200"
            "5fc8f1d20000000049454e44ae426082"
        )
    ).decode()
)


@pytest.fixture
def parent_fetches(monkeypatch):
    """Every URL that gets past our fetcher to WeasyPrint's real (urllib) fetcher."""
    seen: list[str] = []
    real_fetch = URLFetcher.fetch

    def spy(self, url, headers=None):
        seen.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    return seen


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/hostname",
        "http://127.0.0.1:9/logo.png",
        "https://example.org/logo.png",
        "ftp://example.org/x",
    ],
)
def test_fetcher_refuses_non_data_url(url, parent_fetches):
    with pytest.raises(RefusedURLError):
        DataOnlyURLFetcher().fetch(url)
    assert parent_fetches == []


def test_fetcher_serves_data_uri():
    response = DataOnlyURLFetcher().fetch("data:text/plain;base64,5aSW")
    assert response.read() == "外".encode()


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd">',
        '<img src="http://127.0.0.1:9/seal.png">',
        '<style>@import url("file:///etc/passwd");</style>',
        '<p style="background: url(https://example.org/bg.png)">x</p>',
    ],
)
def test_render_refuses_external_resources(markup, parent_fetches):
    with pytest.raises(DocumentRenderError, match="refused"):
        html_to_pdf(f'<html lang="zh-CN"><body><p>正文</p>{markup}</body></html>')
    assert not [url for url in parent_fetches if not url.startswith("data:")]


def test_render_does_not_read_local_file_through_template(tmp_path, parent_fetches):
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>SECRET-7731</text></svg>')
    template = engines["django"].from_string('<html><body><img src="{{ src }}"></body></html>')
    html = template.render({"src": secret.as_uri()})

    with pytest.raises(DocumentRenderError):
        html_to_pdf(html)
    assert parent_fetches == []


def test_relative_url_resolves_to_nothing(parent_fetches):
    # base_url=None: a relative path cannot be turned into a file:// URL behind our back.
    pdf = html_to_pdf('<html><body><p>x</p><img src="../../../etc/passwd"></body></html>')
    assert pdf.startswith(b"%PDF")
    assert parent_fetches == []


def test_data_uri_image_is_embedded(parent_fetches):
    pdf = html_to_pdf(f'<html><body><img src="{PNG_DATA_URI}" style="width: 10mm"></body></html>')
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page["/Resources"]["/XObject"], "the data: image should be painted"
    assert parent_fetches == [PNG_DATA_URI]


def test_render_html_is_the_pdf_source():
    html = render_html("documents/gbt9704_specimen.html", specimen_context())
    assert '<html lang="zh-CN">' in html
    assert "绍市人社发〔2022〕47号" in html
    assert "2022年9月1日印发" in html
    assert "@page" in html  # the stylesheet travels inline


def test_render_pdf_uses_a_fresh_font_configuration(monkeypatch):
    created = []
    real = rendering.FontConfiguration

    def tracking():
        created.append(real())
        return created[-1]

    monkeypatch.setattr(rendering, "FontConfiguration", tracking)
    html_to_pdf("<p>一</p>")
    html_to_pdf("<p>二</p>")
    assert len(created) == 2
