"""Excel in and out (django-import-export), with the Chinese column headers the bureau works with.

* `ApplicantUnitResource` — the unit register, imported by administrators in the Django admin with
  the 统一社会信用代码 as the import id; bad rows are reported per row, in Chinese, by column.
* `ApplicationExportResource` — one batch's applications with every indicator and the auto-check
  summary, for the city's summary sheet (`applications:batch_export`).
"""

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from shaoxing_bases.accounts.models import Region
from shaoxing_bases.validators import (
    normalize_credit_code,
    normalize_phone,
    shaoxing_county_division,
    validate_phone,
    validate_single_line_text,
)

from .eligibility import FAIL, NEEDS_JUDGEMENT, PASS, summarize
from .enterprise_size import SOURCE_NUMBER as SIZE_SOURCE
from .enums import ApplicationState, EnterpriseSize, UnitType
from .form.sections import all_field_names, section_field_names
from .indicators import application_check, application_enterprise_size, consecutive_fund_years
from .models import ApplicantUnit, Application
from .policy import ENTERPRISE

# --- widgets ------------------------------------------------------------------------------------


class CreditCodeWidget(widgets.CharWidget):
    """Codes typed into Excel often carry blanks or full-width characters: fold them away."""

    def clean(self, value, row=None, **kwargs):
        return normalize_credit_code("" if value is None else str(value))


class PlainTextWidget(widgets.CharWidget):
    """Text as typed, refused (as an error on its column) when it carries a control, bidirectional
    override or zero-width character: such a value would break every later Excel export of the unit
    or make its name read differently from what is stored."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        try:
            validate_single_line_text(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from error
        return text


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label in Excel (企业 ↔ enterprise); the code is accepted too."""

    def __init__(self, choices, name: str, **kwargs):
        super().__init__(**kwargs)
        self.labels = {str(value): str(label) for value, label in choices}
        self.name = name

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        if text in self.labels:
            return text
        for code, label in self.labels.items():
            if label == text:
                return code
        raise ValueError(f"“{text}”不是有效的{self.name}，可填：{'、'.join(self.labels.values())}。")

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(str(value), "") if value else ""


class RegionWidget(widgets.ForeignKeyWidget):
    """所在区县 by name (越城区), or by its 行政区划代码 (330602)."""

    def __init__(self, **kwargs):
        super().__init__(Region, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        region = Region.objects.filter(models.Q(name=text) | models.Q(code=text)).first()
        if region is None:
            names = "、".join(Region.objects.values_list("name", flat=True))
            raise ValueError(f"未找到区县“{text}”，可填：{names}。")
        return region


class YesNoWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "是" if value else "否"


class ShanghaiDateTimeWidget(widgets.Widget):
    """Aware datetimes as Asia/Shanghai wall-clock text (openpyxl cannot store aware datetimes)."""

    def render(self, value, obj=None, **kwargs):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# --- units --------------------------------------------------------------------------------------

UNIT_COLUMNS: Mapping[str, str] = {
    "credit_code": "统一社会信用代码",
    "name": "单位名称",
    "unit_type": "单位类型",
    "region": "所在区县",
    "address": "通讯地址",
    "legal_representative": "法定代表人",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "email": "电子邮箱",
}


class ApplicantUnitResource(resources.ModelResource):
    """The unit register as a sheet with Chinese headers; rows are matched on the credit code.

    Beyond the model's own validation, an imported row follows the registration page's rules: a
    code issued by a Shaoxing county fixes the county (a blank 所在区县 is filled from it, a
    different one is an error) and the phone is checked. An enterprise's size and field belong to
    each application (derived from its figures), not to the register.
    """

    credit_code = fields.Field(
        attribute="credit_code", column_name=UNIT_COLUMNS["credit_code"], widget=CreditCodeWidget()
    )
    name = fields.Field(attribute="name", column_name=UNIT_COLUMNS["name"], widget=PlainTextWidget())
    unit_type = fields.Field(
        attribute="unit_type",
        column_name=UNIT_COLUMNS["unit_type"],
        widget=ChoiceLabelWidget(UnitType.choices, "单位类型"),
    )
    region = fields.Field(attribute="region", column_name=UNIT_COLUMNS["region"], widget=RegionWidget())
    address = fields.Field(attribute="address", column_name=UNIT_COLUMNS["address"], widget=PlainTextWidget())
    legal_representative = fields.Field(
        attribute="legal_representative",
        column_name=UNIT_COLUMNS["legal_representative"],
        widget=PlainTextWidget(),
    )
    contact_person = fields.Field(
        attribute="contact_person", column_name=UNIT_COLUMNS["contact_person"], widget=PlainTextWidget()
    )
    contact_phone = fields.Field(
        attribute="contact_phone", column_name=UNIT_COLUMNS["contact_phone"], widget=PlainTextWidget()
    )
    email = fields.Field(attribute="email", column_name=UNIT_COLUMNS["email"], widget=PlainTextWidget())

    class Meta:
        model = ApplicantUnit
        fields = tuple(UNIT_COLUMNS)
        export_order = tuple(UNIT_COLUMNS)
        import_id_fields = ("credit_code",)
        # Existing units of the whole sheet in one query, not one per row.
        instance_loader_class = CachedInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request=None):
        return ApplicantUnit.objects.select_related("region")

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self._apply_unit_rules(instance, errors)
        if errors:
            raise ValidationError(errors)

    def _county(self, code: str) -> Region:
        """The county of a 行政区划代码 (the six counties, read once per import rather than per row)."""
        if not hasattr(self, "_counties"):
            self._counties = {region.code: region for region in Region.objects.all()}
        return self._counties[code]

    def _apply_unit_rules(self, instance: ApplicantUnit, errors: dict) -> None:
        """County from the credit code; phone format."""
        try:
            division = shaoxing_county_division(instance.credit_code)
        except ValueError:  # a malformed code: full_clean() reports it on its column
            division = None
        if "region" not in errors:
            region = instance.region if instance.region_id else None
            if division is not None:
                if region is None:
                    instance.region = self._county(division)
                elif region.code != division:
                    county = self._county(division).name
                    errors["region"] = [f"所在区县（{region.name}）与统一社会信用代码（{county}）不一致。"]
            elif region is None:
                errors["region"] = ["请填写所在区县（该信用代码不是绍兴市各区、县（市）赋码）。"]
        if "contact_phone" not in errors and instance.contact_phone:
            instance.contact_phone = normalize_phone(instance.contact_phone)
            try:
                validate_phone(instance.contact_phone)
            except ValidationError as error:
                errors["contact_phone"] = error.messages

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Report errors under the sheet's Chinese column names, which is what the admin shows.
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(
                {
                    UNIT_COLUMNS.get(key, key) if key != NON_FIELD_ERRORS else key: messages
                    for key, messages in error.message_dict.items()
                }
            ) from error

    def before_import_row(self, row, **kwargs):
        # Excel stores a numeric-looking phone number as a number: read it back as text.
        phone = row.get(UNIT_COLUMNS["contact_phone"])
        if isinstance(phone, float) and phone.is_integer():
            row[UNIT_COLUMNS["contact_phone"]] = str(int(phone))


# --- application summary ------------------------------------------------------------------------

#: Every indicator the unit fills in on its application, in the order of the form (any unit type).
INDICATOR_FIELDS = tuple(all_field_names())

#: For each unit type, the indicators its form does not ask for: exported blank, never as a value.
NOT_ASKED: Mapping[str, frozenset[str]] = {
    unit_type: frozenset(INDICATOR_FIELDS) - set(section_field_names(unit_type))
    for unit_type in UnitType.values
}

CHECK_OUTCOME_COLUMNS = {
    PASS: "自动核验：符合项数",
    FAIL: "自动核验：不符合项数",
    NEEDS_JUDGEMENT: "自动核验：待判断项数",
}


def export_filename(batch) -> str:
    return f"{batch.year}年度实训基地申报汇总.xlsx"


class ApplicationExportResource(resources.ModelResource):
    """A batch's applications with all indicators, unit details and the auto-check, one row each.

    Export only. Give it `applications_for_export(...)` so that the rows run a fixed number of
    queries (unit, region and batch joined; specialties, partners and fund years prefetched).
    """

    batch_year = fields.Field(attribute="batch__year", column_name="申报年度", widget=widgets.IntegerWidget())
    unit_name = fields.Field(attribute="unit__name", column_name="单位名称")
    credit_code = fields.Field(attribute="unit__credit_code", column_name="统一社会信用代码")
    unit_type = fields.Field(
        attribute="unit__unit_type", column_name="单位类型", widget=ChoiceLabelWidget(UnitType.choices, "")
    )
    region = fields.Field(attribute="unit__region__name", column_name="所在区县")
    address = fields.Field(attribute="unit__address", column_name="通讯地址")
    legal_representative = fields.Field(attribute="unit__legal_representative", column_name="法定代表人")
    contact_person = fields.Field(attribute="unit__contact_person", column_name="联系人")
    contact_phone = fields.Field(attribute="unit__contact_phone", column_name="联系电话")
    email = fields.Field(attribute="unit__email", column_name="电子邮箱")
    # Derived from the application's own figures; the 所属领域 the unit declared is an indicator column.
    enterprise_size = fields.Field(column_name=f"企业规模（按{SIZE_SOURCE}认定）")
    state_label = fields.Field(
        attribute="state", column_name="申报状态", widget=ChoiceLabelWidget(ApplicationState.choices, "")
    )
    submitted_at = fields.Field(
        attribute="submitted_at", column_name="提交时间", widget=ShanghaiDateTimeWidget()
    )
    first_submitted_at = fields.Field(
        attribute="first_submitted_at", column_name="首次提交时间", widget=ShanghaiDateTimeWidget()
    )
    specialty_count = fields.Field(column_name="特色专业（职业、工种）数量")
    partner_count = fields.Field(column_name="合作企业数量")
    fund_years = fields.Field(column_name="职工培训经费连续足额提取使用年数")
    check_pass = fields.Field(column_name=CHECK_OUTCOME_COLUMNS[PASS])
    check_fail = fields.Field(column_name=CHECK_OUTCOME_COLUMNS[FAIL])
    check_judgement = fields.Field(column_name=CHECK_OUTCOME_COLUMNS[NEEDS_JUDGEMENT])
    failing_criteria = fields.Field(column_name="自动核验不符合项")
    county_comment = fields.Field(attribute="county_comment", column_name="区县意见")

    class Meta:
        model = Application
        fields = (
            "batch_year",
            "unit_name",
            "credit_code",
            "unit_type",
            "region",
            "address",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "email",
            "enterprise_size",
            "state_label",
            "submitted_at",
            "first_submitted_at",
            *INDICATOR_FIELDS,
            "specialty_count",
            "partner_count",
            "fund_years",
            "check_pass",
            "check_fail",
            "check_judgement",
            "failing_criteria",
            "county_comment",
        )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._checks: dict[int, list] = {}

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """Indicator columns are headed by the model's Chinese verbose name; declarations read 是/否."""
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = str(django_field.verbose_name)
        if isinstance(django_field, models.BooleanField):
            field.widget = YesNoWidget()
        elif django_field.choices:  # the Chinese label, never the stored code
            field.widget = ChoiceLabelWidget(django_field.choices, str(django_field.verbose_name))
        return field

    def export_field(self, field, instance, **kwargs):
        if field.attribute in NOT_ASKED[instance.unit.unit_type]:
            return ""
        return super().export_field(field, instance, **kwargs)

    def _check(self, application: Application) -> list:
        if application.pk not in self._checks:
            self._checks[application.pk] = application_check(application)
        return self._checks[application.pk]

    def dehydrate_enterprise_size(self, application: Application) -> str:
        if application.unit.unit_type != ENTERPRISE:
            return ""
        result = application_enterprise_size(application)
        return EnterpriseSize(result.size).label if result.size else f"无法认定：{result.problem}"

    def dehydrate_specialty_count(self, application: Application) -> int:
        return len(application.specialties.all())

    def dehydrate_partner_count(self, application: Application) -> int:
        counted = getattr(application, "partner_count", None)  # annotated by applications_for_export
        return counted if counted is not None else len(application.partners.all())

    def dehydrate_fund_years(self, application: Application) -> int | str:
        if application.unit.unit_type != ENTERPRISE:
            return ""
        return consecutive_fund_years(
            application.fund_years.all(),
            application.batch.year - 1,
            application.batch.policy.training_fund_rule,
        )

    def dehydrate_check_pass(self, application: Application) -> int:
        return summarize(self._check(application))[PASS]

    def dehydrate_check_fail(self, application: Application) -> int:
        return summarize(self._check(application))[FAIL]

    def dehydrate_check_judgement(self, application: Application) -> int:
        return summarize(self._check(application))[NEEDS_JUDGEMENT]

    def dehydrate_failing_criteria(self, application: Application) -> str:
        return "；".join(result.message for result in self._check(application) if result.outcome == FAIL)
