"""Shared factories for units, batches and applications (owned by the batches engineer).

Other areas may append a missing factory at the end of this module; please do not rewrite the ones above.

States are protected FSM fields: a factory never sets a state by assignment, it creates the row in its
default state and then moves it with ``QuerySet.update`` (no transition log), then refreshes the object.
"""

import itertools
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.demo import fill_application
from applications.enums import ApplicationState, BatchState
from applications.models import (
    ApplicantUnit,
    Application,
    Batch,
)
from applications.policy import COLLEGE, ENTERPRISE, TRAINING_INSTITUTION
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.validators import (
    credit_code_check_char,
    organisation_code_check_char,
    shaoxing_county_division,
)
from tests.factories import UserFactory, region

__all__ = [
    "PDF_BYTES",
    "PNG_BYTES",
    "ApplicantUnitFactory",
    "ApplicationFactory",
    "BatchFactory",
    "application_in_state",
    "batch_in_state",
    "complete_application",
    "make_credit_code",
    "pdf_file",
    "png_file",
]

#: The smallest file `check_upload` accepts as a PDF (it checks the first bytes only).
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
#: A valid 1×1 white PNG.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS"
    b"\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\r\xefF\xb8\x00\x00\x00\x00IEND"
    b"\xaeB`\x82"
)

# 登记管理部门代码 + 机构类别代码 that fit each unit type: 事业单位, 民办非企业单位, 企业.
CREDIT_CODE_PREFIXES = {
    COLLEGE: "12",
    TRAINING_INSTITUTION: "52",
    ENTERPRISE: "91",
}

_credit_code_numbers = itertools.count(1)


def make_credit_code(n: int | None = None, *, division: str = "330602", prefix: str = "91") -> str:
    """A valid, distinct 统一社会信用代码 (both check characters right) for the n-th call.

    7919 is coprime with 10**8, so distinct ``n`` give distinct 8-digit organisation-code bodies.
    """
    if n is None:
        n = next(_credit_code_numbers)
    body = f"{(n * 7919 + 34_567_891) % 100_000_000:08d}"
    first17 = f"{prefix}{division}{body}{organisation_code_check_char(body)}"
    return first17 + credit_code_check_char(first17)


def pdf_file(name: str = "证明材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_file(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def _force_state(obj, state) -> None:
    """Put a protected FSM object into ``state`` without a transition (test set-up only)."""
    if state and obj.state != state:
        type(obj).objects.filter(pk=obj.pk).update(state=state)
        obj.refresh_from_db()


# --- units ---------------------------------------------------------------------------------------


class ApplicantUnitFactory(factory.django.DjangoModelFactory):
    """A college in 越城区 by default; ``division="330681"`` puts it (code and region) in 诸暨市."""

    class Meta:
        model = ApplicantUnit

    class Params:
        division = "330602"

    unit_type = COLLEGE
    credit_code = factory.LazyAttribute(
        lambda o: make_credit_code(division=o.division, prefix=CREDIT_CODE_PREFIXES[o.unit_type])
    )
    name = factory.Sequence(lambda n: f"绍兴测试职业技术学院{n}")
    region = factory.LazyAttribute(lambda o: region(shaoxing_county_division(o.credit_code) or o.division))
    address = "浙江省绍兴市越城区人民中路1号"
    legal_representative = "张三"
    contact_person = "李四"
    contact_phone = "13800000000"
    email = factory.Sequence(lambda n: f"unit{n}@example.cn")


# --- batches -------------------------------------------------------------------------------------


class BatchFactory(factory.django.DjangoModelFactory):
    """A batch that opened yesterday (deadlines now +10/+20/+30 days), in ``state`` (default draft).

    Later deadlines follow the ones given: ``submission_deadline=x`` puts screening at x+10 days.
    """

    class Meta:
        model = Batch
        skip_postgeneration_save = True

    # Batch.year is unique within 2022–2100: wrap, a test never holds 75 batches.
    year = factory.Sequence(lambda n: 2026 + n % 75)
    title = factory.LazyAttribute(lambda o: f"{o.year}年度绍兴市市级高技能人才公共实训基地申报")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    submission_deadline = factory.LazyAttribute(lambda o: o.opens_at + timedelta(days=11))
    screening_deadline = factory.LazyAttribute(lambda o: o.submission_deadline + timedelta(days=10))
    scoring_deadline = factory.LazyAttribute(lambda o: o.screening_deadline + timedelta(days=10))
    quota = 10

    @factory.post_generation
    def state(obj, create, extracted, **kwargs):
        if create:
            _force_state(obj, extracted)


def batch_in_state(state: str, **kwargs) -> Batch:
    return BatchFactory(state=state, **kwargs)


# --- applications --------------------------------------------------------------------------------


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application of a fresh college in an open batch, started by a member of the unit."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    batch = factory.SubFactory(BatchFactory, state=BatchState.OPEN)
    unit = factory.SubFactory(ApplicantUnitFactory)
    created_by = factory.LazyAttribute(lambda o: UserFactory(role=Role.APPLICANT, unit=o.unit))

    @factory.post_generation
    def state(obj, create, extracted, **kwargs):
        if not create or not extracted or extracted == obj.state:
            return
        changes = {"state": extracted}
        if extracted not in (ApplicationState.DRAFT, ApplicationState.WITHDRAWN):
            changes["submitted_at"] = changes["first_submitted_at"] = timezone.now()
        Application.objects.filter(pk=obj.pk).update(**changes)
        obj.refresh_from_db()


def application_in_state(state: str, **kwargs) -> Application:
    return ApplicationFactory(state=state, **kwargs)


def _attach(application: Application, user, section: str, name: str):
    from applications.form.services import attachment_upload

    return attachment_upload(application=application, actor=user, section=section, uploaded=pdf_file(name))


def complete_application(application: Application, user=None) -> Application:
    """Fill every required field, row and file so the application can be submitted and passes every
    automatic check of its unit type. ``user`` must be a member of the unit (default: its creator);
    the application must be editable (draft or returned)."""
    return fill_application(application, user or application.created_by)
