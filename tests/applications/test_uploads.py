"""Evidence files on the form: upload checked by content and size, delete, permission-checked download."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.http import content_disposition_header

from applications.enums import ApplicationState, AttachmentSection
from applications.form.services import attachment_upload
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import (
    PDF_BYTES,
    PNG_BYTES,
    ApplicantUnitFactory,
    ApplicationFactory,
    pdf_file,
)
from tests.applications.test_form import MANAGEMENT, section_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory()


@pytest.fixture
def owner(client, application):
    client.force_login(application.created_by)
    return client


def _upload(client, application, files, section="management", **fields):
    """Post the management page as the browser does: every field of the page plus the files."""
    data = {**MANAGEMENT, **fields, **files}
    return client.post(section_url(application, section), data)


def _stored(application, name="x.pdf"):
    return attachment_upload(
        application=application,
        actor=application.created_by,
        section=AttachmentSection.PREMISES,
        uploaded=pdf_file(name),
    )


def _submitted_file(**kwargs):
    """A file of an application that has since been handed in (uploads need a draft)."""
    application = ApplicationFactory(**kwargs)
    attachment = _stored(application)
    type(application).objects.filter(pk=application.pk).update(state=ApplicationState.SUBMITTED)
    return attachment


# --- upload -------------------------------------------------------------------------------------


def test_a_pdf_is_stored_under_its_rule(owner, application):
    response = _upload(owner, application, {"evidence-training_rules": pdf_file("培训管理制度.pdf")})
    assert response.status_code == 302
    attachment = application.attachments.get()
    assert attachment.section == AttachmentSection.TRAINING_RULES
    assert attachment.original_name == "培训管理制度.pdf"
    assert attachment.content_type == "application/pdf"
    assert "培训管理制度" not in attachment.file.name  # stored under a random name
    application.refresh_from_db()
    assert application.has_training_rules  # the rest of the page was saved with it


def test_several_files_at_once_under_different_rules(owner, application):
    files = {
        "evidence-training_rules": [pdf_file("制度一.pdf"), pdf_file("制度二.pdf")],
        "evidence-risk_rules": pdf_file("风险.pdf"),
    }
    assert _upload(owner, application, files).status_code == 302
    sections = sorted(application.attachments.values_list("section", flat=True))
    assert sections == ["risk_rules", "training_rules", "training_rules"]


def test_png_bytes_named_pdf_are_accepted_as_png(owner, application):
    disguised = SimpleUploadedFile("扫描件.pdf", PNG_BYTES, content_type="application/pdf")
    assert _upload(owner, application, {"evidence-organisation": disguised}).status_code == 302
    attachment = application.attachments.get()
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")


def _assert_refused(response, application, error):
    page = response.content.decode()
    assert response.status_code == 200
    assert error in page
    assert "未保存" in page
    assert "我们的机构说明" in page  # what was typed stays on the page
    assert not application.attachments.exists()
    application.refresh_from_db()
    assert application.organisation_description == ""  # and nothing was written


def test_a_spoofed_pdf_is_refused(owner, application):
    spoofed = SimpleUploadedFile("x.pdf", b"hello", content_type="application/pdf")
    response = _upload(
        owner, application, {"evidence-finance_rules": spoofed}, organisation_description="我们的机构说明"
    )
    _assert_refused(response, application, "“x.pdf”不是有效的PDF、JPG、PNG文件")


def test_an_oversized_file_is_refused(owner, application, settings):
    settings.UPLOAD_MAX_BYTES = 50
    big = SimpleUploadedFile("大文件.pdf", PDF_BYTES + b"0" * 100, content_type="application/pdf")
    response = _upload(
        owner, application, {"evidence-asset_rules": big}, organisation_description="我们的机构说明"
    )
    _assert_refused(response, application, "超过50")


def test_an_empty_file_is_refused(owner, application):
    empty = SimpleUploadedFile("空.pdf", b"", content_type="application/pdf")
    response = _upload(
        owner, application, {"evidence-risk_rules": empty}, organisation_description="我们的机构说明"
    )
    _assert_refused(response, application, "“空.pdf”：文件为空")


def test_one_bad_file_refuses_the_whole_save(owner, application):
    files = {
        "evidence-training_rules": pdf_file("好.pdf"),
        "evidence-finance_rules": SimpleUploadedFile("坏.pdf", b"hello"),
    }
    response = _upload(owner, application, files, organisation_description="我们的机构说明")
    _assert_refused(response, application, "“坏.pdf”不是有效的")


def test_upload_after_submission_is_refused(client):
    application = ApplicationFactory(state=ApplicationState.SUBMITTED)
    client.force_login(application.created_by)
    response = _upload(client, application, {"evidence-training_rules": pdf_file()})
    assert response.status_code == 302
    assert not application.attachments.exists()


def test_the_page_lists_the_files_with_download_links(owner, application):
    attachment = _stored(application, "消防验收意见书.pdf")
    page = owner.get(section_url(application, "premises")).content.decode()
    assert "消防验收意见书.pdf" in page
    assert reverse("applications:attachment_download", args=[attachment.pk]) in page
    assert f'name="delete_attachment" value="{attachment.pk}"' in page


# --- delete -------------------------------------------------------------------------------------


def test_a_file_is_deleted_and_the_page_saved(owner, application, django_capture_on_commit_callbacks):
    attachment = _stored(application)
    name, storage = attachment.file.name, attachment.file.storage
    data = {"premises_description": "实训楼两栋", "delete_attachment": str(attachment.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(section_url(application, "premises"), data)
    assert response.status_code == 302
    assert not application.attachments.exists()
    assert not storage.exists(name)
    application.refresh_from_db()
    assert application.premises_description == "实训楼两栋"


def test_a_file_of_another_section_is_not_deleted_from_this_page(owner, application):
    attachment = _stored(application)  # a premises file
    owner.post(section_url(application, "training"), {"delete_attachment": str(attachment.pk)})
    assert application.attachments.filter(pk=attachment.pk).exists()


def test_another_units_file_is_not_deleted(owner, application):
    other = ApplicationFactory()
    attachment = _stored(other)
    owner.post(section_url(application, "premises"), {"delete_attachment": str(attachment.pk)})
    assert other.attachments.filter(pk=attachment.pk).exists()


# --- download -----------------------------------------------------------------------------------


def _download(client, attachment):
    return client.get(reverse("applications:attachment_download", args=[attachment.pk]))


def test_owner_downloads_with_the_original_chinese_name(owner, application):
    attachment = _stored(application, "消防验收意见书.pdf")
    response = _download(owner, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('消防验收意见书.pdf')}"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_county_staff_download_only_after_submission(client, make_user, application):
    attachment = _stored(application)
    client.force_login(make_user(Role.COUNTY_HRSS, "330602"))
    assert _download(client, attachment).status_code == 404  # a draft is private to the unit
    type(application).objects.filter(pk=application.pk).update(state=ApplicationState.SUBMITTED)
    assert _download(client, attachment).status_code == 200


def test_county_staff_of_another_county_get_404(client, make_user):
    attachment = _submitted_file()
    client.force_login(make_user(Role.COUNTY_HRSS, "330681"))
    assert _download(client, attachment).status_code == 404


def test_another_unit_gets_404(client):
    attachment = _submitted_file()
    stranger = ApplicationFactory(unit=ApplicantUnitFactory())
    client.force_login(stranger.created_by)
    assert _download(client, attachment).status_code == 404


@pytest.mark.parametrize("role", [Role.CITY_HRSS, Role.CITY_FINANCE, Role.ADMIN])
def test_city_downloads_a_submitted_application(client, make_user, role):
    attachment = _submitted_file()
    client.force_login(make_user(role))
    assert _download(client, attachment).status_code == 200


def test_anonymous_download_goes_to_login(client, application):
    response = _download(client, _stored(application))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_file_missing_on_disk_is_404(owner, application):
    attachment = _stored(application)
    attachment.file.storage.delete(attachment.file.name)
    assert _download(owner, attachment).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "served_as", "content_type"),
    [
        ("evil.html", PDF_BYTES, "evil.pdf", "application/pdf"),
        ("照片.pdf", PNG_BYTES, "照片.png", "image/png"),
        ("扫描件.JPEG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "扫描件.jpg", "image/jpeg"),
        ("制度", PDF_BYTES, "制度.pdf", "application/pdf"),
    ],
    ids=["html-named-pdf", "pdf-named-png", "jpeg-upper-case", "no-extension"],
)
def test_download_name_takes_the_extension_of_the_content(
    owner, application, name, content, served_as, content_type
):
    attachment = attachment_upload(
        application=application,
        actor=application.created_by,
        section=AttachmentSection.PREMISES,
        uploaded=SimpleUploadedFile(name, content, content_type="text/html"),
    )
    assert attachment.original_name == name  # the unit's own name stays on record
    response = _download(owner, attachment)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == content_disposition_header(True, served_as)
