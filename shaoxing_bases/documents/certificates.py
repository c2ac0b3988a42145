"""The bureaus' signing certificates: which exist, where they live, demo ones for a first run.

Each bureau that issues documents signs them with its own certificate, kept as a PKCS#12 file
(``.p12``: the private key, the certificate and its chain) whose passphrase comes from the
environment. ``settings.DOCUMENT_SIGNERS`` maps a signer key to ``{"p12": path, "passphrase_env":
name}``; :func:`signer_entries` builds that mapping for the keys below.

No Django models here: production settings import this module to refuse a demo certificate before
anything else starts.
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import environ
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

from shaoxing_bases.accounts.regions import SHAOXING_COUNTIES

CITY_HRSS = "city_hrss"
CITY_FINANCE = "city_finance"
#: Every issuing bureau's name, by signer key. A county's HRSS bureau is ``county_hrss_<code>``.
#: Districts carry the city's name (绍兴市越城区…); county-level cities and counties do not.
BUREAUS: dict[str, str] = {
    CITY_HRSS: "绍兴市人力资源和社会保障局",
    CITY_FINANCE: "绍兴市财政局",
    **{
        f"county_hrss_{code}": f"{'绍兴市' if name.endswith('区') else ''}{name}人力资源和社会保障局"
        for code, name, _prefix in SHAOXING_COUNTIES
    },
}
#: What every demo certificate carries in its subject, and what production refuses.
DEMO_MARK = "DEMO"
DEMO_LABEL = "演示证书 DEMO，不具法律效力"
DEMO_CA_NAME = "绍兴市实训基地平台演示根证书 DEMO CA"
#: The shared passphrase variable; ``DOCUMENT_SIGNER_PASSPHRASE_<KEY>`` overrides it per bureau.
SHARED_PASSPHRASE_ENV = "DOCUMENT_SIGNER_PASSPHRASE"  # noqa: S105 - the variable's name, not its value
CA_CERT_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"


class CertificateError(Exception):
    """A signer's certificate is missing, unreadable or not fit for its use (message in Chinese)."""


def county_signer(region_code: str) -> str:
    """The signer key of a county's HRSS bureau, e.g. ``county_signer("330602") == "county_hrss_330602"``."""
    key = f"county_hrss_{region_code}"
    if key not in BUREAUS:
        raise CertificateError(f"没有区县代码为 {region_code} 的人力社保局签名证书")
    return key


def signer_entries(directory: Path) -> dict[str, dict[str, Any]]:
    """``DOCUMENT_SIGNERS`` for the certificates in ``directory``: one ``<key>.p12`` per bureau."""
    return {
        key: {
            "p12": Path(directory) / f"{key}.p12",
            "passphrase_env": f"{SHARED_PASSPHRASE_ENV}_{key.upper()}",
        }
        for key in BUREAUS
    }


def passphrase_for(entry: Mapping[str, Any], demo_passphrase: str | None = None) -> bytes | None:
    """The passphrase of one signer: its own variable, else the shared one, else (local and test
    settings only) the demo passphrase; ``None`` if none is set (an unencrypted file)."""
    env = environ.Env()
    own = entry.get("passphrase_env") or SHARED_PASSPHRASE_ENV
    value = env.str(own, default="") or env.str(SHARED_PASSPHRASE_ENV, default="") or demo_passphrase
    return value.encode() if value else None


@dataclass(frozen=True)
class LoadedSigner:
    key: str
    private_key: Any
    certificate: x509.Certificate
    chain: list[x509.Certificate]


def load_p12(key: str, entry: Mapping[str, Any], demo_passphrase: str | None = None) -> LoadedSigner:
    """Open one signer's PKCS#12 file; :class:`CertificateError` with a Chinese reason otherwise."""
    path = Path(entry["p12"])
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CertificateError(f"签名证书 {key} 不存在或无法读取：{path}") from error
    try:
        private_key, certificate, chain = pkcs12.load_key_and_certificates(
            data, passphrase_for(entry, demo_passphrase)
        )
    except (ValueError, TypeError) as error:
        raise CertificateError(f"签名证书 {key} 无法打开（口令错误或文件损坏）：{path}") from error
    if private_key is None or certificate is None:
        raise CertificateError(f"签名证书 {key} 中缺少私钥或证书：{path}")
    return LoadedSigner(key=key, private_key=private_key, certificate=certificate, chain=list(chain))


def is_demo_certificate(certificate: x509.Certificate) -> bool:
    """Whether the certificate (or its issuer) says it is a demo one."""
    names = [*certificate.subject, *certificate.issuer]
    return any(
        DEMO_MARK in str(attribute.value).upper() or "演示" in str(attribute.value) for attribute in names
    )


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER encoding, hex: how an issued document names its signer."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def check_production_signers(signers: Mapping[str, Mapping[str, Any]]) -> None:
    """Refuse (``ImproperlyConfigured``) a demo certificate or one that cannot be opened.

    Called by the production settings. A bureau whose file is absent is not refused here: the
    documents it would sign fail to issue with a clear message until its certificate is installed.
    """
    from django.core.exceptions import ImproperlyConfigured

    for key, entry in signers.items():
        if not Path(entry["p12"]).exists():
            continue
        try:
            loaded = load_p12(key, entry)
        except CertificateError as error:
            raise ImproperlyConfigured(f"DOCUMENT_SIGNERS[{key!r}]: {error}") from error
        if is_demo_certificate(loaded.certificate):
            raise ImproperlyConfigured(
                f"DOCUMENT_SIGNERS[{key!r}] is a demo certificate ({entry['p12']}): "
                "install the bureau's real certificate before starting production"
            )


# --- demo certificates (manage.py demo_certificates; the tests) ----------------------------------


def _name(common_name: str, organisation: str, unit: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "浙江省"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "绍兴市"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _new_key() -> ec.EllipticCurvePrivateKey:
    # ECDSA P-256: read by every PAdES validator, and created in a millisecond (the test run
    # makes a fresh set of certificates each session).
    return ec.generate_private_key(ec.SECP256R1())


def _ca(directory: Path, ca_name: str, demo: bool) -> tuple[Any, x509.Certificate]:
    """The CA of ``directory``: loaded when its files exist, created otherwise."""
    cert_path, key_path = directory / CA_CERT_FILE, directory / CA_KEY_FILE
    if cert_path.exists() and key_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = _new_key()
    now = dt.datetime.now(dt.UTC)
    subject = _name(ca_name, ca_name, DEMO_LABEL if demo else "证书签发")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key, certificate


def issue_certificate(
    *, ca_key: Any, ca_certificate: x509.Certificate, bureau: str, demo: bool = True
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A document-signing certificate for ``bureau`` under the given CA (two years)."""
    key = _new_key()
    now = dt.datetime.now(dt.UTC)
    # X.509 caps a name attribute at 64 bytes: the bureau alone in O, the demo mark in CN and OU.
    common_name = f"{bureau} {DEMO_MARK}" if demo else bureau
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, bureau, DEMO_LABEL if demo else "公文签发"))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CODE_SIGNING]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_certificate.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


def p12_bytes(
    key: ec.EllipticCurvePrivateKey,
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
    passphrase: bytes | None,
) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        name=certificate.subject.rfc4514_string().encode(),
        key=key,
        cert=certificate,
        cas=chain,
        encryption_algorithm=encryption,
    )


def create_certificates(
    signers: Mapping[str, Mapping[str, Any]],
    *,
    demo_passphrase: str | None = None,
    demo: bool = True,
    ca_name: str = DEMO_CA_NAME,
) -> list[str]:
    """Create the CA (in the directory of the first signer's file) and every missing ``.p12``.

    Existing files are left alone, so running it again changes nothing. Returns the keys created.
    ``demo=False`` makes certificates without the demo mark (tests of the production check only).
    """
    created: list[str] = []
    ca_key = ca_certificate = None
    for key, entry in signers.items():
        path = Path(entry["p12"])
        if path.exists():
            continue
        if ca_key is None:
            ca_key, ca_certificate = _ca(path.parent, ca_name, demo)
        assert ca_certificate is not None  # noqa: S101 - set together with ca_key
        bureau = BUREAUS.get(key, key)
        private_key, certificate = issue_certificate(
            ca_key=ca_key, ca_certificate=ca_certificate, bureau=bureau, demo=demo
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            p12_bytes(private_key, certificate, [ca_certificate], passphrase_for(entry, demo_passphrase))
        )
        path.chmod(0o600)
        created.append(key)
    return created


@contextmanager
def throwaway_demo_signers() -> Iterator[dict[str, dict[str, Any]]]:
    """A fresh demo CA and one certificate per bureau in a temporary folder, in force for the block.

    For runs that issue real signed documents but must neither depend on nor touch the installation's
    certificates (``var/certs``, whose passphrase is the local settings'): the test session and
    ``manage.py bench_smoke``. The folder and its keys are deleted afterwards."""
    from django.test.utils import override_settings

    passphrase = getattr(settings, "DOCUMENT_DEMO_PASSPHRASE", None) or secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory(prefix="shaoxing-certs-") as folder:
        signers = signer_entries(Path(folder))
        create_certificates(signers, demo_passphrase=passphrase)
        with override_settings(
            DOCUMENT_CERT_DIR=Path(folder), DOCUMENT_SIGNERS=signers, DOCUMENT_DEMO_PASSPHRASE=passphrase
        ):
            yield signers
