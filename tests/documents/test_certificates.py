"""The bureaus' signing certificates: demo ones for a first run, refused by production."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shaoxing_bases.documents.certificates import (
    BUREAUS,
    CertificateError,
    county_signer,
    create_certificates,
    is_demo_certificate,
    load_p12,
    signer_entries,
)
from tests.core.test_settings import PRODUCTION_ENV, _manage

PASSPHRASE = "a-real-looking-passphrase"


def test_every_bureau_has_a_signer_key():
    assert BUREAUS["city_hrss"] == "绍兴市人力资源和社会保障局"
    assert BUREAUS["city_finance"] == "绍兴市财政局"
    assert BUREAUS[county_signer("330602")] == "绍兴市越城区人力资源和社会保障局"
    assert BUREAUS[county_signer("330681")] == "诸暨市人力资源和社会保障局"
    assert len(BUREAUS) == 8
    with pytest.raises(CertificateError):
        county_signer("110000")


def test_demo_certificates_are_marked_demo_in_their_names(tmp_path):
    signers = signer_entries(tmp_path)
    created = create_certificates(signers, demo_passphrase="demo")
    assert set(created) == set(BUREAUS)
    loaded = load_p12("city_finance", signers["city_finance"], "demo")
    assert is_demo_certificate(loaded.certificate)
    subject = loaded.certificate.subject.rfc4514_string()
    assert "DEMO" in subject
    assert "O=绍兴市财政局" in subject
    assert (tmp_path / "ca.pem").exists()
    assert oct((tmp_path / "city_finance.p12").stat().st_mode & 0o777) == "0o600"


def test_creating_again_keeps_what_exists(tmp_path):
    signers = signer_entries(tmp_path)
    create_certificates(signers, demo_passphrase="demo")
    before = (tmp_path / "city_hrss.p12").read_bytes()
    (tmp_path / "city_finance.p12").unlink()
    assert create_certificates(signers, demo_passphrase="demo") == ["city_finance"]
    assert (tmp_path / "city_hrss.p12").read_bytes() == before
    # The re-created one is issued by the same CA as the others.
    hrss = load_p12("city_hrss", signers["city_hrss"], "demo").certificate
    finance = load_p12("city_finance", signers["city_finance"], "demo").certificate
    assert hrss.issuer == finance.issuer


def test_a_wrong_passphrase_is_a_chinese_error(tmp_path):
    signers = signer_entries(tmp_path)
    create_certificates(signers, demo_passphrase="demo")
    with pytest.raises(CertificateError, match="口令错误"):
        load_p12("city_hrss", signers["city_hrss"], "not-the-passphrase")


def test_demo_certificates_command_creates_missing_files_once(settings, tmp_path, capsys):
    settings.DOCUMENT_SIGNERS = signer_entries(tmp_path)
    call_command("demo_certificates")
    assert "已生成演示证书 city_hrss" in capsys.readouterr().out
    assert len(list(tmp_path.glob("*.p12"))) == len(BUREAUS)
    call_command("demo_certificates")
    assert "均已存在" in capsys.readouterr().out


def test_demo_certificates_command_refuses_where_demo_data_is_not_allowed(settings, tmp_path):
    settings.DOCUMENT_SIGNERS = signer_entries(tmp_path)
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="不允许演示证书"):
        call_command("demo_certificates")
    assert not list(tmp_path.glob("*.p12"))


def _production(directory: Path, passphrase: str = PASSPHRASE):
    env = {**PRODUCTION_ENV, "DOCUMENT_CERT_DIR": str(directory), "DOCUMENT_SIGNER_PASSPHRASE": passphrase}
    return _manage("check", env=env)


def test_production_refuses_to_start_with_a_demo_certificate(tmp_path):
    create_certificates(signer_entries(tmp_path), demo_passphrase=PASSPHRASE)
    result = _production(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "is a demo certificate" in result.stderr


def test_production_refuses_a_certificate_its_passphrase_does_not_open(tmp_path):
    create_certificates(
        signer_entries(tmp_path), demo_passphrase=PASSPHRASE, demo=False, ca_name="浙江测试CA"
    )
    result = _production(tmp_path, passphrase="wrong")
    assert result.returncode != 0
    assert "口令错误" in result.stderr


def test_production_starts_with_real_certificates(tmp_path):
    create_certificates(
        signer_entries(tmp_path), demo_passphrase=PASSPHRASE, demo=False, ca_name="浙江测试CA"
    )
    result = _production(tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_per_bureau_passphrase_overrides_the_shared_one(tmp_path):
    signers = signer_entries(tmp_path)
    create_certificates(
        {"city_hrss": signers["city_hrss"]}, demo_passphrase="own", demo=False, ca_name="浙江测试CA"
    )
    env = {
        **PRODUCTION_ENV,
        "DOCUMENT_CERT_DIR": str(tmp_path),
        "DOCUMENT_SIGNER_PASSPHRASE": "shared",
        "DOCUMENT_SIGNER_PASSPHRASE_CITY_HRSS": "own",
    }
    assert _manage("check", env=env).returncode == 0
