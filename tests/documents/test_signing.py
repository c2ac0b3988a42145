"""Issued documents anyone can verify: signed PDF/A-3b with a 校验码 (documents.signing)."""

import datetime as dt
import hashlib
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper
from pypdf import PdfReader

from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.documents import signing
from shaoxing_bases.documents.certificates import create_certificates, signer_entries
from shaoxing_bases.documents.models import IssuedDocument
from shaoxing_bases.documents.rendering import render_pdf
from shaoxing_bases.documents.samples import letter_specimen_context
from shaoxing_bases.documents.signing import (
    CODE_ALPHABET,
    DocumentSigningError,
    Verdict,
    document_issue,
    document_verify_code,
    document_verify_pdf,
    sign_pdf,
    signing_identity,
)
from tests.factories import region
from tests.pdf_fonts import assert_pdf_fonts_cover_text

pytestmark = pytest.mark.django_db

LETTER = "documents/gbt9704_letter.html"
NUMBER = "柯人社函〔2026〕12号"
TITLE = "关于推荐市级高技能人才公共实训基地建设项目候选单位的函"
KEQIAO_HRSS = "绍兴市柯桥区人力资源和社会保障局"


def _issue(related=None, **overrides) -> IssuedDocument:
    arguments = {
        "kind": "letter_specimen",
        "title": TITLE,
        "number": NUMBER,
        "issuer": KEQIAO_HRSS,
        "signer": "county_hrss_330603",
        "template": LETTER,
        "context": letter_specimen_context(),
        "related": related,
        **overrides,
    }
    return document_issue(**arguments)


def _bytes(document: IssuedDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def issued():
    return _issue(related=region("330603"))


@pytest.fixture
def signed(issued) -> bytes:
    return _bytes(issued)


# --- issuing -------------------------------------------------------------------------------------


def test_issued_document_is_signed_pdfa_with_its_code_printed(issued, signed):
    assert signed.startswith(b"%PDF")
    assert issued.sha256 == hashlib.sha256(signed).hexdigest()
    assert issued.size == len(signed)
    assert len(issued.verification_code) == 12
    assert set(issued.verification_code) <= set(CODE_ALPHABET)
    assert not set(issued.verification_code) & set("01OI")
    # PDF/A-3b: the XMP identification WeasyPrint writes for the variant, and its colour profile.
    catalog = PdfReader(BytesIO(signed)).trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp
    assert b'pdfaid:conformance="B"' in xmp
    assert catalog["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    (signature,) = PdfFileReader(BytesIO(signed), strict=False).embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES baseline
    assert "绍兴市柯桥区人力资源和社会保障局" in signature.signer_cert.subject.human_friendly
    first_page = "".join(PdfReader(BytesIO(signed)).pages[0].extract_text().split())
    assert issued.display_code in first_page
    assert "/verify/" in first_page
    assert_pdf_fonts_cover_text(signed)  # the mark's characters are embedded like the rest
    assert issued.file.name.startswith("issued/")
    assert issued.file.name.endswith(".pdf")
    assert AuditEntry.objects.filter(summary__startswith="签发并电子签名公文").count() == 1


def test_issuing_twice_for_one_object_gives_one_document(issued, settings, monkeypatch):
    rendered = []
    monkeypatch.setattr(signing, "html_to_pdf", lambda *args, **kwargs: rendered.append(1))
    again = _issue(related=issued.related)
    assert again.pk == issued.pk
    assert not rendered  # not even rendered again
    assert IssuedDocument.objects.count() == 1
    assert len(list((Path(settings.MEDIA_ROOT) / "issued").rglob("*.pdf"))) == 1


def test_the_loser_of_a_concurrent_issue_returns_the_winner_and_keeps_no_file(issued, settings, monkeypatch):
    """Both issues rendered while neither row existed; the second insert fails on the unique
    (kind, object) and hands back the first document, deleting its own file."""
    original = signing._existing
    calls = []

    def not_yet_there(*args):
        calls.append(1)
        return None if len(calls) == 1 else original(*args)

    monkeypatch.setattr(signing, "_existing", not_yet_there)
    again = _issue(related=issued.related)
    assert again.pk == issued.pk
    assert IssuedDocument.objects.count() == 1
    assert len(list((Path(settings.MEDIA_ROOT) / "issued").rglob("*.pdf"))) == 1


def test_documents_without_an_object_are_each_issued(issued):
    other = _issue(related=None, kind="notice_specimen", number="")
    assert other.pk != issued.pk
    assert other.verification_code != issued.verification_code


def test_an_html_builder_receives_the_mark_before_rendering():
    seen = []

    def build(mark):
        seen.append(mark)
        return f'<html lang="zh-CN"><body><p>公告正文</p><p>校验码 {mark.display_code}</p></body></html>'

    document = _issue(template=None, context=None, html=build, kind="plain_notice", number="")
    assert seen[0].code == document.verification_code
    assert seen[0].url.endswith("/verify/")
    assert document_verify_pdf(_bytes(document)).genuine


def test_a_bureau_without_a_certificate_cannot_issue(settings):
    settings.DOCUMENT_SIGNERS = {**settings.DOCUMENT_SIGNERS, "city_hrss": {"p12": "/nonexistent/x.p12"}}
    with pytest.raises(DocumentSigningError, match="签名证书“city_hrss”的文件不存在"):
        _issue(signer="city_hrss")
    with pytest.raises(DocumentSigningError, match="没有配置签名证书"):
        _issue(signer="no_such_bureau")
    assert not IssuedDocument.objects.exists()


def test_bad_arguments_are_programming_errors():
    with pytest.raises(ValueError, match="kind"):
        _issue(kind="Not A Kind")
    with pytest.raises(ValueError, match="either template"):
        _issue(html=lambda mark: "<html></html>")
    with pytest.raises(TypeError, match="VerificationMark"):
        _issue(template=None, html="<html></html>")


def test_a_time_stamp_authority_makes_the_signature_pades_b_t(settings, monkeypatch, tmp_path):
    settings.DOCUMENT_TSA_URL = "http://tsa.example.cn/tsr"
    stamper = signing._timestamper()
    assert isinstance(stamper, HTTPTimeStamper)
    assert stamper.url == "http://tsa.example.cn/tsr"
    monkeypatch.setattr(signing, "_timestamper", lambda: DummyTimeStamper(*_tsa(tmp_path)))
    document = _issue(related=region("330604"))
    assert document.timestamped
    data = _bytes(document)
    (signature,) = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    unsigned = signature.signer_info["unsigned_attrs"]
    assert "signature_time_stamp_token" in {attribute["type"].native for attribute in unsigned}
    assert document_verify_pdf(data).genuine


def test_without_a_time_stamp_authority_the_signature_is_b_b(settings, issued):
    settings.DOCUMENT_TSA_URL = ""
    assert signing._timestamper() is None
    assert not issued.timestamped


def _tsa(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA is RSA-only
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_cert = certificate.public_bytes(serialization.Encoding.DER)
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return asn1_x509.Certificate.load(der_cert), asn1_keys.PrivateKeyInfo.load(der_key)


# --- verifying an uploaded PDF ---------------------------------------------------------------------


def test_the_issued_file_is_genuine(issued, signed):
    result = document_verify_pdf(signed)
    assert result.verdict == Verdict.GENUINE
    assert result.document == issued
    assert result.issuer == KEQIAO_HRSS
    assert result.issued_at == issued.issued_at
    assert KEQIAO_HRSS in result.message
    assert NUMBER in result.message
    assert "未被改动" in result.message


def _inside_a_stream(data: bytes) -> int:
    """An offset in the middle of the first content stream: inside the signed bytes."""
    start = data.index(b"stream\n", data.index(b"/Length")) + len(b"stream\n")
    return start + 40


def test_one_changed_byte_fails_verification(signed):
    position = _inside_a_stream(signed)
    tampered = bytearray(signed)
    tampered[position] ^= 0x01
    result = document_verify_pdf(bytes(tampered))
    assert result.verdict == Verdict.ALTERED
    assert not result.genuine
    assert "改动" in result.message


def test_a_changed_byte_in_the_cross_reference_is_reported_not_a_500(signed):
    tampered = signed.replace(b"startxref", b"startxreg", 1)
    result = document_verify_pdf(tampered)
    assert result.verdict in {Verdict.ALTERED, Verdict.UNKNOWN}
    assert not result.genuine


def test_content_added_after_signing_fails_verification(signed):
    writer = IncrementalPdfFileWriter(BytesIO(signed), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    from pyhanko.pdf_utils import generic

    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    output = BytesIO()
    writer.write(output)
    result = document_verify_pdf(output.getvalue())
    assert result.verdict == Verdict.ALTERED
    assert "签名之后" in result.message


def test_a_pdf_signed_by_another_certificate_fails(tmp_path):
    """A forger's own CA, with a certificate that claims the same bureau's name."""
    forged_signers = signer_entries(tmp_path / "forged")
    create_certificates(
        {"county_hrss_330603": forged_signers["county_hrss_330603"]},
        demo_passphrase="forger",
        demo=False,
        ca_name="某伪造根证书",
    )
    from django.test import override_settings

    pdf = render_pdf(LETTER, letter_specimen_context(), pdf_variant="pdf/a-3b")
    with override_settings(DOCUMENT_SIGNERS=forged_signers, DOCUMENT_DEMO_PASSPHRASE="forger"):
        forged, _ = sign_pdf(pdf, signing_identity("county_hrss_330603"), issuer=KEQIAO_HRSS, reason="伪造")
    result = document_verify_pdf(forged)
    assert result.verdict == Verdict.OTHER_SIGNER
    assert "不是本平台签发机关的证书" in result.message
    assert result.document is None


def test_a_document_the_portal_never_issued_is_unknown():
    unsigned = render_pdf(LETTER, letter_specimen_context())
    result = document_verify_pdf(unsigned)
    assert result.verdict == Verdict.UNKNOWN
    assert "没有电子签名" in result.message


def test_a_portal_signature_without_a_record_is_unknown():
    """Signed with the bureau's key but never issued (a test run elsewhere, a deleted row)."""
    pdf = render_pdf(LETTER, letter_specimen_context(), pdf_variant="pdf/a-3b")
    signed, _ = sign_pdf(pdf, signing_identity("county_hrss_330603"), issuer=KEQIAO_HRSS, reason="测试")
    result = document_verify_pdf(signed)
    assert result.verdict == Verdict.UNKNOWN
    assert "没有这份文件的签发记录" in result.message


@pytest.mark.parametrize(
    "data", [b"", b"hello", b"PK\x03\x04zip", b"%PDF-1.7\n garbage", b"%PDF" + b"\x00" * 500]
)
def test_anything_that_is_not_a_sound_pdf_is_reported_not_raised(data):
    result = document_verify_pdf(data)
    assert result.verdict == Verdict.UNKNOWN
    assert result.message


# --- verifying by number and 校验码 ----------------------------------------------------------------


@pytest.mark.parametrize(
    "reference",
    [NUMBER, " 柯人社函〔2026〕12号 ", "柯人社函[2026]12号", "柯人社函（2026）12号", TITLE],
)
def test_number_or_title_with_the_code_is_genuine(issued, reference):
    result = document_verify_code(reference, issued.verification_code)
    assert result.verdict == Verdict.GENUINE
    assert result.document == issued
    assert result.issuer == KEQIAO_HRSS
    assert "上传 PDF 文件核验" in result.message  # a code proves the issue, not the content


def test_the_code_may_be_typed_in_groups_and_lower_case(issued):
    typed = issued.display_code.lower().replace("-", " - ")
    assert document_verify_code(NUMBER, typed).genuine


def test_a_wrong_code_or_a_wrong_number_is_unknown(issued):
    wrong_code = ("Z" if issued.verification_code[0] != "Z" else "Y") + issued.verification_code[1:]
    assert document_verify_code(NUMBER, wrong_code).verdict == Verdict.UNKNOWN
    other = document_verify_code("柯人社函〔2026〕13号", issued.verification_code)
    assert other.verdict == Verdict.UNKNOWN
    assert other.document is None  # the code alone reveals nothing
    assert document_verify_code("", issued.verification_code).verdict == Verdict.UNKNOWN
    assert document_verify_code(NUMBER, "").verdict == Verdict.UNKNOWN


def test_an_unreachable_time_stamp_authority_issues_nothing(settings, monkeypatch):
    monkeypatch.setattr(signing, "_timestamper", lambda: HTTPTimeStamper("http://127.0.0.1:9/tsr", timeout=2))
    with pytest.raises(DocumentSigningError, match="公文签名失败"):
        _issue(related=region("330681"))
    assert not IssuedDocument.objects.exists()
    assert not list((Path(settings.MEDIA_ROOT) / "issued").rglob("*.pdf"))


def test_the_signed_sample_verifies_and_leaves_nothing_behind(settings):
    from shaoxing_bases.documents.registry import sample_builders

    (builder,) = [builder for builder in sample_builders() if builder.kind == "signed_specimen"]
    pdf = builder.build()
    assert pdf.startswith(b"%PDF")
    assert not IssuedDocument.objects.exists()
    assert not list((Path(settings.MEDIA_ROOT) / "issued").rglob("*.pdf"))
    # Rolled back, so the portal has no record of it: a signature of the portal, but unknown.
    assert document_verify_pdf(pdf).verdict == Verdict.UNKNOWN
    text = "".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())
    assert "校验码" in text


def test_staff_read_issued_documents_in_the_admin_but_cannot_change_them(client, django_user_model, issued):
    admin_user = django_user_model.objects.create_superuser("docadmin", "a@example.cn", "Pass@2026x")
    client.force_login(admin_user)
    listing = client.get("/admin/documents/issueddocument/")
    assert listing.status_code == 200
    assert issued.verification_code in listing.content.decode()
    detail = client.get(f"/admin/documents/issueddocument/{issued.pk}/change/")
    assert detail.status_code == 200
    assert 'name="title"' not in detail.content.decode()  # read-only
    assert client.get("/admin/documents/issueddocument/add/").status_code == 403
