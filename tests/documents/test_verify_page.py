"""/verify/: the public page that tells a genuine document from a forged or altered one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from shaoxing_bases.documents.samples import letter_specimen_context
from shaoxing_bases.documents.signing import document_issue
from shaoxing_bases.ratelimit import within_limit
from tests.factories import region

pytestmark = pytest.mark.django_db

URL = "/verify/"


@pytest.fixture
def issued():
    return document_issue(
        kind="letter_specimen",
        title="关于推荐市级高技能人才公共实训基地建设项目候选单位的函",
        number="柯人社函〔2026〕12号",
        issuer="绍兴市柯桥区人力资源和社会保障局",
        signer="county_hrss_330603",
        template="documents/gbt9704_letter.html",
        context=letter_specimen_context(),
        related=region("330603"),
    )


def _pdf(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _upload(client, data: bytes, name: str = "公文.pdf", **extra):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(URL, {"mode": "pdf", "pdf-document": upload}, **extra)


def test_the_address_is_verify():
    assert reverse("documents:verify") == URL


def test_anyone_may_open_the_page_and_the_footer_links_to_it(client):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "公文真伪核验" in page
    assert 'name="pdf-document"' in page
    assert 'name="code-code"' in page
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_an_issued_pdf_is_reported_genuine_with_bureau_and_date(client, issued):
    response = _upload(client, _pdf(issued))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-verdict="genuine"' in page
    assert "真实有效" in page
    assert "绍兴市柯桥区人力资源和社会保障局" in page
    assert issued.display_code in page


def test_an_altered_pdf_is_reported_altered(client, issued):
    data = bytearray(_pdf(issued))
    position = data.index(b"stream\n", data.index(b"/Length")) + 50
    data[position] ^= 0x20
    page = _upload(client, bytes(data)).content.decode()
    assert 'data-verdict="altered"' in page
    assert "已被改动" in page


def test_a_file_that_is_not_a_pdf_gets_a_chinese_error_not_a_500(client):
    response = _upload(client, b"<html>not a pdf</html>", name="fake.pdf")
    assert response.status_code == 200
    page = response.content.decode()
    assert "这不是 PDF 文件" in page
    assert "data-verdict" not in page


def test_a_file_over_the_limit_is_refused_before_it_is_read(client, settings):
    settings.DOCUMENT_VERIFY_MAX_BYTES = 1024
    response = _upload(client, b"%PDF-1.7\n" + b"0" * 2048)
    assert response.status_code == 200
    page = response.content.decode()
    assert "超过" in page
    assert "上限" in page
    assert "data-verdict" not in page


def test_an_upload_without_a_file_asks_for_one(client):
    page = client.post(URL, {"mode": "pdf"}).content.decode()
    assert "请选择要核验的 PDF 文件" in page


def test_number_and_code_are_checked(client, issued):
    page = client.post(
        URL, {"mode": "code", "code-reference": issued.number, "code-code": issued.display_code}
    ).content.decode()
    assert 'data-verdict="genuine"' in page
    assert "本平台签发过这份公文" in page
    wrong = client.post(URL, {"mode": "code", "code-reference": issued.number, "code-code": "ABCD-EFGH-JKLM"})
    assert 'data-verdict="unknown"' in wrong.content.decode()
    assert "查无此件" in wrong.content.decode()


def test_an_empty_code_form_shows_field_errors(client):
    page = client.post(URL, {"mode": "code"}).content.decode()
    assert "请填写文号或标题" in page
    assert "请填写校验码" in page


def test_a_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, {"mode": "code", "code-reference": "x", "code-code": "y"})
    assert response.status_code == 403


def test_checks_are_rate_limited_per_client_address(client, settings, issued):
    settings.DOCUMENT_VERIFY_LIMIT_PER_IP = 3
    data = {"mode": "code", "code-reference": issued.number, "code-code": issued.verification_code}
    for _ in range(3):
        assert client.post(URL, data, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.post(URL, data, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "核验次数过多" in page
    assert "data-verdict" not in page  # nothing was checked
    assert client.post(URL, data, REMOTE_ADDR="198.51.100.9").status_code == 200  # another address
    assert client.get(URL, REMOTE_ADDR="203.0.113.7").status_code == 200  # reading the page is free


def test_within_limit_counts_per_key_and_window():
    assert all(within_limit("test:a", 2, 60) for _ in range(2))
    assert not within_limit("test:a", 2, 60)
    assert within_limit("test:b", 2, 60)
