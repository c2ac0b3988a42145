"""Sample registry and the render_samples command."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from shaoxing_bases.documents import registry
from shaoxing_bases.documents.registry import register_sample, sample_builders


@pytest.fixture
def clean_registry(monkeypatch):
    """Register test builders without leaking them into other tests."""
    monkeypatch.setattr(registry, "_builders", dict(registry._builders))


def test_builtin_specimens_are_registered():
    kinds = {builder.kind: builder.title for builder in sample_builders()}
    assert kinds["gbt9704_specimen"] == "公文格式样张"
    assert "gbt9704_letter_specimen" in kinds


def test_register_sample_rejects_a_second_builder_for_a_kind(clean_registry):
    @register_sample("dup_kind", "一")
    def first() -> bytes:
        return b"%PDF-1.7"

    with pytest.raises(ImproperlyConfigured, match="registered twice"):

        @register_sample("dup_kind", "二")
        def second() -> bytes:
            return b"%PDF-1.7"


@pytest.mark.parametrize("kind", ["", "Has-Caps", "../escape", "空格"])
def test_register_sample_rejects_unsafe_kinds(kind):
    with pytest.raises(ImproperlyConfigured):
        register_sample(kind, "x")


@pytest.mark.django_db
def test_render_samples_writes_every_sample(tmp_path, capsys):
    # django_db: builders registered by other apps create their own demo rows.
    call_command("render_samples", str(tmp_path / "out"))

    out = capsys.readouterr().out
    for builder in sample_builders():
        path = tmp_path / "out" / f"{builder.kind}.pdf"
        assert path.read_bytes().startswith(b"%PDF")
        assert str(path) in out
    assert "秒" in out


def test_render_samples_fails_in_chinese_when_a_builder_fails(tmp_path, clean_registry, capsys):
    @register_sample("broken_kind", "坏样张")
    def broken() -> bytes:
        raise RuntimeError("模板缺失")

    with pytest.raises(CommandError, match="1 种样张生成失败：broken_kind"):
        call_command("render_samples", str(tmp_path), kind=["broken_kind"])
    assert "坏样张" in capsys.readouterr().err
    assert not (tmp_path / "broken_kind.pdf").exists()


def test_render_samples_rejects_unknown_kind(tmp_path):
    with pytest.raises(CommandError, match="没有登记"):
        call_command("render_samples", str(tmp_path), kind=["no_such_kind"])


def test_every_sample_in_the_source_is_found_by_render_samples():
    """A document module that no ``<app>.documents`` imports would silently drop out of
    ``make render-samples`` (the publicity notice once did)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    declared = set()
    for package in ("shaoxing_bases", "applications", "review", "reporting"):
        for module in (root / package).rglob("*.py"):
            declared |= set(
                re.findall(r'@register_sample\("([a-z0-9_]+)"', module.read_text(encoding="utf-8"))
            )
    assert declared - {builder.kind for builder in sample_builders()} == set()
