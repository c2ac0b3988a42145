"""Issuing official PDFs that anyone can verify: PDF/A-3b, signed by the bureau, with a 校验码.

:func:`document_issue` renders a document (WeasyPrint, through the data-only fetcher of
``rendering``) as PDF/A-3b with its 校验码 and the /verify/ address printed on it, signs it with the
issuing bureau's certificate (pyHanko, PAdES baseline B-B; B-T with a time stamp when
``settings.DOCUMENT_TSA_URL`` is set), and keeps the signed file with its SHA-256. It needs no
request, so a Celery task calls it as well as a service does.

:func:`document_verify_pdf` and :func:`document_verify_code` answer the public page /verify/: a
genuine, unaltered document issued by the portal (by which bureau, when), an altered one, one signed
by a certificate that is not the portal's, or one the portal never issued.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign import signers as pdf_signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from shaoxing_bases.audit.services import audit_event

from .certificates import CertificateError, fingerprint, load_p12, passphrase_for
from .gbt9704 import format_cn_date
from .models import IssuedDocument
from .rendering import html_to_pdf, render_html

logger = logging.getLogger(__name__)

#: 校验码 alphabet: digits and capitals without 0/O and 1/I, so that a printed code reads one way.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12  # 32**12 ≈ 1.2e18 codes: not guessable at the page's rate limit
PDF_VARIANT = "pdf/a-3b"
SIGNATURE_FIELD = "PortalSignature"
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class DocumentSigningError(Exception):
    """A document could not be signed (no certificate for its bureau, the TSA unreachable, …)."""


# --- the mark printed on every issued document -----------------------------------------------------


@dataclass(frozen=True)
class VerificationMark:
    """What ``documents/_verification_mark.html`` prints: the 校验码 and where to check it."""

    code: str
    url: str

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


def verify_url() -> str:
    """The absolute address of /verify/ (no request needed: tasks render documents too)."""
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{reverse('documents:verify')}"


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """What the visitor typed, as stored: capitals, without spaces or dashes."""
    return re.sub(r"[\s\-－—_]", "", code or "").upper()


# --- the bureaus' signing identities ---------------------------------------------------------------


@dataclass(frozen=True)
class SigningIdentity:
    key: str
    signer: pdf_signers.SimpleSigner
    subject: str
    fingerprint: str


_identities: dict[tuple[str, str, float], SigningIdentity] = {}


def signing_identity(signer: str) -> SigningIdentity:
    """The loaded certificate of ``signer`` (a key of ``settings.DOCUMENT_SIGNERS``), cached per file."""
    entry = settings.DOCUMENT_SIGNERS.get(signer)
    if entry is None:
        raise DocumentSigningError(f"没有配置签名证书“{signer}”（settings.DOCUMENT_SIGNERS）。")
    path = Path(entry["p12"])
    try:
        cache_key = (signer, str(path), path.stat().st_mtime)
    except OSError as error:
        raise DocumentSigningError(
            f"签名证书“{signer}”的文件不存在：{path}。"
            "请安装该机关的证书（开发环境可运行 manage.py demo_certificates）。"
        ) from error
    identity = _identities.get(cache_key)
    if identity is None:
        demo_passphrase = getattr(settings, "DOCUMENT_DEMO_PASSPHRASE", None)
        try:
            loaded = load_p12(signer, entry, demo_passphrase)
        except CertificateError as error:
            raise DocumentSigningError(str(error)) from error
        simple = pdf_signers.SimpleSigner.load_pkcs12_data(
            path.read_bytes(), other_certs=[], passphrase=passphrase_for(entry, demo_passphrase)
        )
        identity = SigningIdentity(
            key=signer,
            signer=simple,
            subject=loaded.certificate.subject.rfc4514_string()[:300],
            fingerprint=fingerprint(loaded.certificate),
        )
        _identities[cache_key] = identity
    return identity


T = TypeVar("T")


def _outside_event_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run pyHanko's synchronous API, which calls ``asyncio.run``: in a thread of its own when this
    thread already runs an event loop (an ASGI server, Playwright's sync API in the browser tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def _timestamper() -> TimeStamper | None:
    """The configured RFC 3161 service (PAdES B-T), or none (B-B)."""
    url = getattr(settings, "DOCUMENT_TSA_URL", "")
    return HTTPTimeStamper(url, timeout=10) if url else None


def sign_pdf(pdf: bytes, identity: SigningIdentity, *, issuer: str, reason: str) -> tuple[bytes, bool]:
    """Sign ``pdf`` as ``issuer`` (an incremental update: the PDF/A file stays as it was rendered).

    Returns the signed bytes and whether they carry a time stamp.
    """
    timestamper = _timestamper()
    metadata = PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location="浙江省绍兴市",
        name=issuer,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    try:
        output = _outside_event_loop(
            pdf_signers.sign_pdf, writer, metadata, signer=identity.signer, timestamper=timestamper
        )
    except (SigningError, OSError) as error:
        raise DocumentSigningError(f"公文签名失败：{error}") from error
    return output.getvalue(), timestamper is not None


# --- issuing -----------------------------------------------------------------------------------------


def document_issue(
    *,
    kind: str,
    title: str,
    number: str,
    issuer: str,
    signer: str,
    template: str | None = None,
    context: dict[str, Any] | None = None,
    html: Callable[[VerificationMark], str] | None = None,
    related: models.Model | None = None,
) -> IssuedDocument:
    """Render, sign and archive one official document; a second call for the same (kind, related)
    returns the first document without rendering anything.

    Give either ``template`` and ``context`` (the context gains ``verification``, a
    :class:`VerificationMark`; templates extending ``documents/gbt9704_base.html`` print it by
    themselves, others include ``documents/_verification_mark.html``) or ``html``, a function from
    the mark to the finished HTML. ``signer`` is a key of ``settings.DOCUMENT_SIGNERS`` (e.g.
    ``"city_hrss"``, ``certificates.county_signer(code)``); ``issuer`` the bureau's name as shown to
    whoever verifies it.

    Renders and signs with no lock and no transaction held, then inserts the row in a short
    transaction; a concurrent issue of the same document loses the insert, deletes its file and
    returns the winner. Side effects: the signed file (private, under MEDIA_ROOT/issued/), the
    IssuedDocument row, an audit entry by the system. Raises :class:`DocumentSigningError` (no
    certificate, TSA down) and ``rendering.DocumentRenderError``. Call it from a task, outside the
    caller's transaction: rendering takes a second, and a rollback around it would keep the file.
    """
    if not KIND_PATTERN.match(kind):
        raise ValueError(f"document kind must match {KIND_PATTERN.pattern}, got {kind!r}")
    if (template is None) == (html is None):
        raise ValueError("give either template (with context) or html")
    if html is not None and not callable(html):
        # The 校验码 is drawn here, before rendering: ready-made markup could not print it.
        raise TypeError("html must be a function of the VerificationMark returning the document's HTML")
    content_type = ContentType.objects.get_for_model(related) if related is not None else None
    object_id = related.pk if related is not None else None
    if related is not None:
        existing = _existing(kind, content_type, object_id)
        if existing is not None:
            return existing
    identity = signing_identity(signer)
    for _attempt in range(3):
        mark = VerificationMark(code=new_verification_code(), url=verify_url())
        if template is not None:
            markup = render_html(template, {**(context or {}), "verification": mark})
        else:
            assert html is not None  # noqa: S101 - checked above
            markup = html(mark)
        pdf = html_to_pdf(markup, pdf_variant=PDF_VARIANT)
        signed, timestamped = sign_pdf(pdf, identity, issuer=issuer, reason=f"{issuer}签发：{title}"[:200])
        document = IssuedDocument(
            kind=kind,
            title=title[:200],
            number=number,
            issuer=issuer,
            signer=signer,
            signer_subject=identity.subject,
            signer_fingerprint=identity.fingerprint,
            issued_at=timezone.now(),
            verification_code=mark.code,
            sha256=hashlib.sha256(signed).hexdigest(),
            size=len(signed),
            timestamped=timestamped,
            content_type=content_type,
            object_id=object_id,
        )
        document.file.save("document.pdf", ContentFile(signed), save=False)
        name = str(document.file.name)
        try:
            with transaction.atomic():
                document.save()
                audit_event(
                    actor=None,
                    summary=f"签发并电子签名公文：{title}"[:200],
                    obj=document,
                    detail={"kind": kind, "number": number, "signer": signer, "sha256": document.sha256},
                )
        except IntegrityError:
            document.file.storage.delete(name)  # no orphan file
            if related is not None:
                existing = _existing(kind, content_type, object_id)
                if existing is not None:
                    return existing
            continue  # the random code was taken: draw another
        except Exception:
            document.file.storage.delete(name)
            raise
        logger.info("issued %s %s (%s bytes, signer %s)", kind, document.pk, len(signed), signer)
        return document
    raise DocumentSigningError("无法为公文分配校验码，请重试。")


def _existing(kind: str, content_type, object_id) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(kind=kind, content_type=content_type, object_id=object_id).first()


# --- verifying -----------------------------------------------------------------------------------


class Verdict(models.TextChoices):
    GENUINE = "genuine", "真实有效"
    ALTERED = "altered", "已被改动"
    OTHER_SIGNER = "other_signer", "非本平台签发"
    UNKNOWN = "unknown", "查无此件"


@dataclass(frozen=True)
class VerificationResult:
    """What /verify/ shows: the verdict, the sentence to read and, when known, who issued what when."""

    verdict: str
    message: str
    document: IssuedDocument | None = None
    issuer: str = ""
    issued_at: datetime | None = None
    title: str = ""
    number: str = ""

    @property
    def genuine(self) -> bool:
        return self.verdict == Verdict.GENUINE

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label


def _issued(document: IssuedDocument) -> str:
    when = timezone.localtime(document.issued_at)
    return f"{document.issuer}于{format_cn_date(when.date())}{when:%H:%M}签发"


def _named(document: IssuedDocument) -> str:
    return f"《{document.title}》" + (f"（{document.number}）" if document.number else "")


def _result(verdict: str, message: str, document: IssuedDocument | None = None) -> VerificationResult:
    if document is None:
        return VerificationResult(verdict=verdict, message=message)
    return VerificationResult(
        verdict=verdict,
        message=message,
        document=document,
        issuer=document.issuer,
        issued_at=document.issued_at,
        title=document.title,
        number=document.number,
    )


NOT_A_PDF = "这不是 PDF 文件，无法核验。请上传从本平台下载或收到的 PDF 原件。"
UNKNOWN_MESSAGE = "本平台没有签发过这份文件：它不是本平台签发的公文，或者已被重新生成、转换过。"


def _portal_fingerprints() -> set[str]:
    """Every certificate the portal has signed with: those of issued documents, and today's."""
    known = set(IssuedDocument.objects.values_list("signer_fingerprint", flat=True).distinct())
    for key in settings.DOCUMENT_SIGNERS:
        try:
            known.add(signing_identity(key).fingerprint)
        except DocumentSigningError:
            continue  # a bureau without a certificate signed nothing with it
    return known


def document_verify_pdf(data: bytes) -> VerificationResult:
    """Whether ``data`` is a genuine, unaltered document the portal issued.

    The signature is checked first (its digest over the signed bytes, the signer's key, that it
    covers the whole file); then that the certificate is one the portal signs with, and that the
    file is the very one stored (SHA-256). Never raises for bad input: a broken file is reported.
    """
    if not data.startswith(b"%PDF"):
        return _result(Verdict.UNKNOWN, NOT_A_PDF)
    stored = IssuedDocument.objects.filter(sha256=hashlib.sha256(data).hexdigest()).first()
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = [sig for sig in reader.embedded_signatures if sig.field_name == SIGNATURE_FIELD]
        signatures = signatures or list(reader.embedded_signatures)
    except Exception:  # pyHanko raises many kinds for a damaged file; none may become a 500
        logger.info("unreadable PDF uploaded for verification", exc_info=True)
        if b"/ByteRange" in data:
            return _result(
                Verdict.ALTERED, "这份文件带有电子签名，但文件结构已被改动或损坏，不是本平台签发的原件。"
            )
        return _result(Verdict.UNKNOWN, "文件已损坏，无法读取，不能证明是本平台签发的公文。")
    if not signatures:
        return _result(Verdict.UNKNOWN, f"这份文件没有电子签名。{UNKNOWN_MESSAGE}")
    signature = signatures[-1]
    try:
        signer_cert = signature.signer_cert
    except Exception:  # a CMS blob that does not parse
        logger.info("signature of an uploaded PDF has no readable certificate", exc_info=True)
        return _result(Verdict.ALTERED, "这份文件的电子签名已损坏，不能证明是本平台签发的原件。")
    if _fingerprint_asn1(signer_cert) not in _portal_fingerprints():
        return _result(
            Verdict.OTHER_SIGNER,
            "这份文件的电子签名不是本平台签发机关的证书所签，不能证明是本平台签发的公文。",
        )
    try:
        # Trust is decided above, by the certificate being the portal's own; this checks the
        # signature itself: its digest over the signed bytes, the key, and what it covers.
        context = ValidationContext(trust_roots=[signer_cert], allow_fetching=False)
        status = _outside_event_loop(validate_pdf_signature, signature, context)
        intact, valid, coverage = status.intact, status.valid, status.coverage
    except Exception:
        logger.info("signature of an uploaded PDF could not be validated", exc_info=True)
        intact = valid = False
        coverage = None
    if not (intact and valid):
        # An altered copy names no document reliably, so none is shown (only the verdict).
        return _result(
            Verdict.ALTERED, "这份文件的电子签名与内容不符：签名后内容已被改动，不是本平台签发的原件。"
        )
    if coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return _result(Verdict.ALTERED, "这份文件在签名之后又被追加或修改了内容，不是本平台签发的原件。")
    if stored is None:
        return _result(
            Verdict.UNKNOWN,
            "签名证书属于本平台，但本平台没有这份文件的签发记录，请联系发文机关核实。",
        )
    return _result(
        Verdict.GENUINE,
        f"这是本平台签发的原件，内容未被改动：{_named(stored)}，由{_issued(stored)}。",
        stored,
    )


def _fingerprint_asn1(certificate: asn1_x509.Certificate | None) -> str:
    return hashlib.sha256(certificate.dump()).hexdigest() if certificate is not None else ""


BRACKETS = str.maketrans("[【(（]】)）", "〔〔〔〔〕〕〕〕")


def _normalise_reference(value: str) -> str:
    """A document number or title as typed: no spaces, one kind of bracket (〔〕 for [] 【】 () （）)."""
    return re.sub(r"\s+", "", value or "").translate(BRACKETS)


def document_verify_code(number_or_title: str, code: str) -> VerificationResult:
    """Whether the portal issued a document with this 发文字号 (or title) and this 校验码.

    Both must match: a code alone tells a visitor nothing about documents that are not theirs.
    """
    normalised = normalise_code(code)
    reference = _normalise_reference(number_or_title)
    if not normalised or not reference:
        return _result(Verdict.UNKNOWN, "请同时填写文号（或标题）和校验码。")
    document = IssuedDocument.objects.filter(verification_code=normalised).first()
    if document is None or reference not in {
        _normalise_reference(document.number),
        _normalise_reference(document.title),
    } - {""}:
        return _result(
            Verdict.UNKNOWN,
            "没有找到文号（或标题）与校验码都相符的公文。请核对后重新输入；仍不相符的，这份文件不是本平台签发的。",
        )
    return _result(
        Verdict.GENUINE,
        f"本平台签发过这份公文：{_named(document)}，由{_issued(document)}。"
        "请核对手中文件的标题、文号和日期与此一致；如需确认内容未被改动，请上传 PDF 文件核验。",
        document,
    )
