"""The online application form: one page per section of clauses 三（一） / 三（二）, each saved on its own.

A `Section` (defined in `applications.form.sections`) describes one page: its fields for each unit type,
its evidence categories, the criteria of the auto-check it feeds. `SectionForms` binds a section to an
application: the model form, the row formset (specialties, partners, fund years) and the evidence
uploads. It validates everything before anything is written and hands the result to the service as a
`SectionUpdate` (`application_section_update` writes and audits it), so a save either goes through
whole or re-renders with every typed value and a Chinese error beside the field; and it turns the
posted values into `overrides` for the live auto-check without saving them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.template.defaultfilters import filesizeformat

from shaoxing_bases.core.forms import style_field
from shaoxing_bases.core.uploads import ALLOWED_DESCRIPTION, check_upload
from shaoxing_bases.validators import normalize_credit_code, validate_credit_code

from ..enums import AttachmentSection
from ..indicators import consecutive_fund_years
from ..models import (
    MAX_PEOPLE,
    MAX_TEACHERS,
    Application,
    Attachment,
    PartnerEnterprise,
    Specialty,
    TrainingFundYear,
)
from ..policy import clause_tag, get_policy
from .sections import (  # re-exported: the form's pages are its sections
    SECTIONS,
    SECTIONS_BY_KEY,
    Section,
    sections_for,
    unit_kind,
)
from .services import RowChange, SectionUpdate, application_version

ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
MAX_SPECIALTIES = 10
MAX_PARTNERS = 100
# Enough spare formset rows for the hand-typed case without inviting a flood of empty forms.
FORMSET_SLACK = 20


INTEGRITY_PROMISE = (
    "本单位郑重承诺：本次申报所填写的全部信息和提交的全部证明材料真实、准确、完整，"
    "不存在虚报、瞒报、伪造、篡改等情况；本单位自愿接受市人力社保局、市财政局和区、县（市）"
    "人力社保部门、财政部门的核查，并如实提供相关资料；如有虚假，本单位愿承担由此产生的一切后果和法律责任，"
    "并接受取消申报资格、撤销认定等处理。"
)

__all__ = [
    "INTEGRITY_PROMISE",
    "SECTIONS",
    "SECTIONS_BY_KEY",
    "VERSION_FIELD",
    "Section",
    "SectionForms",
    "sections_for",
    "upload_help",
]


# --- Field helpers ----------------------------------------------------------------------------

INVALID_INTEGER = "请输入整数（不带小数点、单位或千位分隔符）。"
NEGATIVE = "不能为负数。"


def _too_large(limit: int | Decimal) -> str:
    return f"数值过大（不能超过 {limit:,}），请核对是否多输入了数字。"


def _count_field(field: forms.IntegerField, limit: int) -> None:
    """Counts are typed into plain text boxes so that the live check sees exactly what was typed."""
    field.widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    field.min_value, field.max_value = 0, limit
    field.validators = [
        MinValueValidator(0, message=NEGATIVE),
        MaxValueValidator(limit, message=_too_large(limit)),
    ]
    field.error_messages["invalid"] = INVALID_INTEGER


def _money_field(field: forms.DecimalField, limit: Decimal = Decimal("9999999999.99")) -> None:
    """An amount in 万元 in a plain text box. A model minimum above zero ("金额须大于 0") is the
    model's rule and message and stays; otherwise the amount may not be negative."""
    field.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    positive = [
        validator
        for validator in field.validators
        if isinstance(validator, MinValueValidator) and validator.limit_value > 0
    ]
    field.validators = (
        [
            validator
            for validator in field.validators
            if not isinstance(validator, MinValueValidator | MaxValueValidator)
        ]
        + (positive or [MinValueValidator(0, message=NEGATIVE)])
        + [MaxValueValidator(limit, message=_too_large(limit))]
    )
    field.error_messages["invalid"] = "请输入数字（单位：万元，最多两位小数）。"


COUNT_LIMITS = {
    "venue_capacity": MAX_TEACHERS,
    "teachers": MAX_TEACHERS,
    "practical_teachers": MAX_TEACHERS,
    "senior_practical_teachers": MAX_TEACHERS,
}

# (part, whole, message): a subset may not exceed its whole.
PART_OF_WHOLE = (
    (
        "annual_senior_trainees",
        "annual_trainees",
        "其中高级工及以上培训人数（{part}）不能超过上年度职业培训人数（{whole}）。",
    ),
    ("practical_teachers", "teachers", "实训教师总数（{part}）不能超过专兼职教师人数（{whole}）。"),
    (
        "senior_practical_teachers",
        "practical_teachers",
        "高级实习指导教师和高级技师教师人数（{part}）不能超过实训教师总数（{whole}）。",
    ),
)


class ApplicationSectionForm(forms.ModelForm):
    """The Application fields of one section; every field is optional so that a draft always saves."""

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, *args, requirements: Mapping[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = False
            if isinstance(field, forms.IntegerField):
                _count_field(field, COUNT_LIMITS.get(name, MAX_PEOPLE))
            elif isinstance(field, forms.DecimalField):
                _money_field(field)
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 4
            if requirements and name in requirements:
                field.help_text = requirements[name]
            style_field(field)
        if "integrity_signatory" in self.fields:
            self.fields["integrity_signatory"].help_text = "应为单位法定代表人，与承诺书签字一致。"

    def clean(self):
        cleaned = super().clean()
        for part, whole, message in PART_OF_WHOLE:
            part_value, whole_value = cleaned.get(part), cleaned.get(whole)
            if part_value is not None and whole_value is not None and part_value > whole_value:
                self.add_error(part, message.format(part=part_value, whole=whole_value))
        if cleaned.get("integrity_declared") and not (cleaned.get("integrity_signatory") or "").strip():
            self.add_error("integrity_signatory", "勾选诚信承诺后，请填写承诺人（法定代表人）姓名。")
        return cleaned


def _requirements(unit_type: str, policy_code: str) -> dict[str, str]:
    """Help text under each field: what the Measures require of it, with the clause."""
    texts: dict[str, str] = {}
    for criterion in get_policy(policy_code).criteria_for(unit_type):
        text = f"要求：{criterion.requirement}（{clause_tag(criterion.clause)}）"
        for key in criterion.indicator_keys:
            texts[key] = f"{texts[key]}；{text}" if key in texts else text
    return texts


# --- Evidence uploads ---------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFileField(forms.FileField):
    """Zero or more files; each checked by content (PDF/JPG/PNG) and size before anything is saved."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)  # check_upload says it in our words, with the name
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        errors: list[str] = []
        for uploaded in uploads:
            super().clean(uploaded, initial)
            try:
                check_upload(uploaded)
            except ValidationError as error:
                prefix = "" if error.code == "bad_type" else f"“{uploaded.name}”："
                errors += [f"{prefix}{message}" for message in error.messages]
        if errors:
            raise ValidationError(errors)
        return uploads


def upload_help() -> str:
    limit = filesizeformat(settings.UPLOAD_MAX_BYTES)
    return f"{ALLOWED_DESCRIPTION}格式，单个文件不超过{limit}，可一次选择多个文件。"


class EvidenceForm(forms.Form):
    """One file input per evidence category of the section (prefix "evidence")."""

    def __init__(self, *args, categories: Iterable[str] = (), **kwargs) -> None:
        kwargs.setdefault("prefix", "evidence")
        super().__init__(*args, **kwargs)
        for category in categories:
            # The category is the fieldset's legend on the page; the input says what to do. Whether
            # the category is required (必传) is shown from `SectionForms.blocks()`.
            self.fields[category] = EvidenceFileField(label="选择文件上传", help_text=upload_help())
            self.fields[category].widget.attrs["class"] = "form-control"

    def uploads(self) -> list[tuple[str, object]]:
        return [(category, uploaded) for category, files in self.cleaned_data.items() for uploaded in files]


# --- 特色专业 -------------------------------------------------------------------------------------


class SpecialtyForm(forms.ModelForm):
    class Meta:
        model = Specialty
        fields = ["name", "equipment", "equipment_value"]
        help_texts = {"equipment_value": "单位：万元"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _money_field(self.fields["equipment_value"], Decimal("99999999.99"))
        for field in self.fields.values():
            style_field(field)


class ExistingRowField(forms.ModelChoiceField):
    """The hidden id of a saved row, resolved among the application's rows the formset has already
    loaded: one query for the page instead of one per row, and another application's id is refused."""

    def __init__(self, *args, lookup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lookup = lookup

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self.lookup(value)
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row


class RowFormSet(BaseInlineFormSet):
    """A formset whose rows count for the live check as soon as something is typed in them."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"
        name = self._pk_field.name
        field = form.fields[name]
        form.fields[name] = ExistingRowField(
            field.queryset,
            lookup=self._saved_row,
            initial=field.initial,
            required=False,
            widget=field.widget,
        )

    def _saved_row(self, value):
        try:
            pk = self._pk_field.to_python(value)
        except ValidationError:
            return None
        return self._existing_object(pk)

    def live_rows(self) -> list[forms.Form]:
        rows = []
        for form in self.forms:
            if self.can_delete and form["DELETE"].value():
                continue
            if form.instance.pk is not None or form.has_changed():
                rows.append(form)
        return rows

    @staticmethod
    def _deleted(form: forms.Form) -> bool:
        return bool(form.cleaned_data.get("DELETE")) if hasattr(form, "cleaned_data") else False

    def _refuse_duplicates(
        self, field: str, same: Callable[[str], str], message: Callable[[int, str], str]
    ) -> None:
        """One error on every row whose ``field`` repeats an earlier kept row's (compared as ``same``
        returns it); ``message(first_row_number, value)`` says which row it repeats.

        Not Django's own duplicate check: that one adds a second, vaguer message to the formset."""
        seen: dict[str, int] = {}
        for number, form in enumerate(self.forms, start=1):
            if not hasattr(form, "cleaned_data") or self._deleted(form):
                continue
            value = form.cleaned_data.get(field)
            key = same(value) if value else ""
            if not key:
                continue
            if key in seen:
                form.add_error(field, message(seen[key], value))
            else:
                seen[key] = number

    def changes(self) -> list[RowChange]:
        """What to write, after `is_valid()`: every saved row (kept, changed or deleted) and every new
        row something was typed into."""
        changes = []
        for form in self.forms:
            saved = form.instance.pk is not None
            if not saved and not form.has_changed():
                continue
            if self._deleted(form):
                if saved:
                    changes.append(RowChange(row=form.instance, values={}, delete=True))
                continue
            # The formset adds its foreign key to every form; the service sets the application itself.
            values = {name: form.cleaned_data.get(name) for name in form._meta.fields if name != self.fk.name}
            changes.append(
                RowChange(
                    row=form.instance if saved else None,
                    values=values,
                    agreement=form.cleaned_data.get("agreement_file") or None,
                )
            )
        return changes


class SpecialtyFormSet(RowFormSet):
    default_error_messages = {
        "too_many_forms": f"特色专业最多填写 {MAX_SPECIALTIES} 个。",
        "missing_management_form": "表单数据不完整，请刷新页面后重新填写。",
    }

    def clean(self) -> None:
        # The same 职业（工种） twice is one specialty (blanks ignored, as the auto-check counts them).
        self._refuse_duplicates(
            "name",
            lambda name: "".join(name.split()),
            lambda first, name: f"与第{first}行是同一职业（工种）“{name}”，同一职业（工种）只能填写一次。",
        )


SpecialtyFormSetFactory = inlineformset_factory(
    Application,
    Specialty,
    form=SpecialtyForm,
    formset=SpecialtyFormSet,
    extra=1,
    max_num=MAX_SPECIALTIES,
    validate_max=True,
    absolute_max=MAX_SPECIALTIES + FORMSET_SLACK,
    can_delete=True,
)


# --- 合作企业 -------------------------------------------------------------------------------------


class PartnerForm(forms.ModelForm):
    agreement_file = forms.FileField(
        label="合作协议",
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILES}),
    )

    class Meta:
        model = PartnerEnterprise
        fields = ["name", "credit_code", "cooperation"]
        help_texts = {"cooperation": "如共同确定专业建设、课程设置、培养计划，聘请企业技师担任指导教师等"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The model validator runs on the normalised value in clean_credit_code instead.
        self.fields["credit_code"].validators = []
        self.fields["credit_code"].max_length = None
        self.fields["credit_code"].widget.attrs.pop("maxlength", None)
        self.fields["credit_code"].widget.attrs["autocomplete"] = "off"
        self.fields["agreement_file"].help_text = f"{ALLOWED_DESCRIPTION}格式；已上传的可重新选择文件替换。"
        for field in self.fields.values():
            style_field(field)

    def clean_credit_code(self) -> str:
        code = normalize_credit_code(self.cleaned_data.get("credit_code"))
        if code:
            validate_credit_code(code)
        return code

    def clean_agreement_file(self):
        uploaded = self.cleaned_data.get("agreement_file")
        if uploaded:
            check_upload(uploaded)
        return uploaded

    def validate_unique(self) -> None:
        """Duplicates are found by the formset over every row of the application (one message, no
        query per row)."""


class PartnerFormSet(RowFormSet):
    default_error_messages = {
        "too_many_forms": f"合作企业最多填写 {MAX_PARTNERS} 家。",
        "missing_management_form": "表单数据不完整，请刷新页面后重新填写。",
    }

    def clean(self) -> None:
        self._refuse_duplicates(
            "credit_code",
            str,
            lambda first, code: (
                f"与第{first}行是同一家企业（统一社会信用代码 {code}），同一企业只能填写一次。"
            ),
        )


PartnerFormSetFactory = inlineformset_factory(
    Application,
    PartnerEnterprise,
    form=PartnerForm,
    formset=PartnerFormSet,
    extra=3,
    max_num=MAX_PARTNERS,
    validate_max=True,
    absolute_max=MAX_PARTNERS + FORMSET_SLACK,
    can_delete=True,
)


# --- 培训经费 -------------------------------------------------------------------------------------

FUND_AMOUNTS = ("payroll", "amount_drawn", "amount_frontline")


class FundYearForm(forms.ModelForm):
    """One year of the training fund; a year left wholly blank is simply not reported."""

    class Meta:
        model = TrainingFundYear
        fields = list(FUND_AMOUNTS)

    def __init__(self, *args, year: int, **kwargs) -> None:
        kwargs.setdefault("prefix", f"fund-{year}")
        super().__init__(*args, **kwargs)
        self.year = year
        for field in self.fields.values():
            field.required = False
            _money_field(field)
            style_field(field)

    @property
    def is_blank(self) -> bool:
        return all(self.cleaned_data.get(name) is None for name in FUND_AMOUNTS)

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in FUND_AMOUNTS}
        if any(value is not None for value in values.values()):
            for name, value in values.items():
                if value is None and name not in self.errors:
                    self.add_error(name, f"请填写{self.year}年度的全部三项金额，或三项都留空。")
        drawn, frontline = values["amount_drawn"], values["amount_frontline"]
        if drawn is not None and frontline is not None and frontline > drawn:
            self.add_error(
                "amount_frontline",
                f"用于一线职工培训的金额（{frontline}万元）不能超过实际提取金额（{drawn}万元）。",
            )
        return cleaned

    def _post_clean(self) -> None:
        # A blank year is never saved, so the model's own "required" check must not run on it.
        if not self.is_blank:
            super()._post_clean()


class FundYearForms:
    """The three years before the batch year, each a `FundYearForm` (prefix fund-<year>)."""

    def __init__(self, application: Application, data=None) -> None:
        last = application.batch.year - 1
        self.years = [last - 2, last - 1, last]
        existing = {row.year: row for row in application.fund_years.all()}
        self.application = application
        self.rule = application.batch.policy.training_fund_rule
        self.forms = [
            FundYearForm(
                data,
                year=year,
                instance=existing.get(year) or TrainingFundYear(application=application, year=year),
            )
            for year in self.years
        ]

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.forms]  # validate every year: errors for all
        return all(results)

    def live_rows(self) -> list[TrainingFundYear]:
        rows = []
        for form in self.forms:
            values = {name: form.cleaned_data.get(name) for name in FUND_AMOUNTS} if form.is_valid() else {}
            if values and all(value is not None for value in values.values()):
                rows.append(TrainingFundYear(year=form.year, **values))
        return rows

    def changes(self) -> list[RowChange]:
        """A year left blank deletes what was saved for it; a filled year is written."""
        changes = []
        for form in self.forms:
            saved = form.instance.pk is not None
            if form.is_blank:
                if saved:
                    changes.append(RowChange(row=form.instance, values={}, delete=True))
                continue
            values = {"year": form.year, **{name: form.cleaned_data[name] for name in FUND_AMOUNTS}}
            changes.append(RowChange(row=form.instance if saved else None, values=values))
        return changes


# --- The bundle of one section ----------------------------------------------------------------

#: The hidden field carrying the application's version (`application_version`) as the page was loaded.
VERSION_FIELD = "version"


class SectionForms:
    """Everything posted on one section page, validated together and saved together."""

    def __init__(
        self,
        *,
        section: Section,
        application: Application,
        attachments: Iterable[Attachment] = (),
        data=None,
        files=None,
        extra_rows: int = 0,
    ) -> None:
        self.section = section
        self.application = application
        self.data = data if data is not None else {}
        self.unit_type = application.unit.unit_type
        self.attachments = list(attachments)
        fields = section.field_names(self.unit_type)
        self.form: ApplicationSectionForm | None = None
        if fields:
            form_class = forms.modelform_factory(Application, form=ApplicationSectionForm, fields=fields)
            initial = {}
            if "integrity_signatory" in fields and not application.integrity_signatory:
                initial["integrity_signatory"] = application.unit.legal_representative
            self.form = form_class(
                data,
                instance=application,
                initial=initial,
                requirements=_requirements(self.unit_type, application.batch.policy_code),
            )
        self.rows = self._rows(data, files, extra_rows)
        categories = section.evidence(self.unit_type)
        self.evidence = EvidenceForm(data, files, categories=categories) if categories else None

    def _rows(self, data, files, extra_rows: int):
        application = self.application
        if self.section.rows == "specialties":
            formset = SpecialtyFormSetFactory(
                data, instance=application, queryset=application.specialties.all(), prefix="specialties"
            )
            if not application.specialties.all():
                formset.extra = 3
        elif self.section.rows == "partners":
            formset = PartnerFormSetFactory(
                data,
                files,
                instance=application,
                queryset=application.partners.select_related("agreement"),
                prefix="partners",
            )
        elif self.section.rows == "funds":
            return FundYearForms(application, data)
        else:
            return None
        formset.extra += extra_rows
        return formset

    # --- validation and saving ---
    def is_valid(self) -> bool:
        # Validate every part (no short-circuit), so that all errors show at once.
        results = [part.is_valid() for part in (self.form, self.rows, self.evidence) if part is not None]
        return all(results)

    @property
    def version(self) -> str:
        """The token of the application as this page shows it (rendered as a hidden field)."""
        return application_version(self.application)

    def update(self, *, delete: Attachment | None = None) -> SectionUpdate:
        """The validated page as the service writes it (call after `is_valid()`)."""
        return SectionUpdate(
            section=self.section.key,
            version=str(self.data.get(VERSION_FIELD, "")),
            fields=dict(self.form.cleaned_data) if self.form is not None else {},
            rows=self.rows.changes() if self.rows is not None else [],
            uploads=self.evidence.uploads() if self.evidence is not None else [],
            delete_attachment=delete,
        )

    # --- the live check ---
    def overrides(self) -> dict[str, object]:
        """The posted values as the eligibility engine reads them, without saving anything.

        A field that validated gives its cleaned value; one that did not gives the raw text, so
        that "abc" or "-5" shows as failing with the engine's own message rather than vanishing.
        """
        values: dict[str, object] = {}
        if self.form is not None:
            self.form.is_valid()
            for name in self.form.fields:
                if name in self.form.cleaned_data:
                    values[name] = self.form.cleaned_data[name]
                else:
                    values[name] = self.form[name].value()
        if self.section.rows == "specialties":
            self.rows.is_valid()
            values["specialty_count"] = len(self.rows.live_rows())
        elif self.section.rows == "partners":
            self.rows.is_valid()
            values["partner_enterprises"] = len(self.rows.live_rows())
        elif self.section.rows == "funds":
            values["training_fund_years"] = consecutive_fund_years(
                self.rows.live_rows(),
                self.application.batch.year - 1,
                self.application.batch.policy.training_fund_rule,
            )
        return values

    # --- what the template shows ---
    def blocks(self) -> list[dict]:
        by_category: dict[str, list[Attachment]] = {}
        for attachment in self.attachments:
            by_category.setdefault(attachment.section, []).append(attachment)
        shown = []
        for block in self.section.blocks[unit_kind(self.unit_type)]:
            fields = [
                self.form[name] for name in block.fields if self.form is not None and name in self.form.fields
            ]
            evidence = None
            if block.evidence and self.evidence is not None:
                evidence = {
                    "category": block.evidence,
                    "label": AttachmentSection(block.evidence).label,
                    "required": block.evidence in AttachmentSection.required_for(self.unit_type),
                    "attachments": by_category.get(block.evidence, []),
                    "field": self.evidence[block.evidence],
                }
            shown.append({"fields": fields, "evidence": evidence})
        return shown

    def file_input_names(self) -> list[str]:
        """Names of the file inputs, which the live check leaves out of its request."""
        names = [self.evidence[name].html_name for name in self.evidence.fields] if self.evidence else []
        if isinstance(self.rows, PartnerFormSet):
            names += [form["agreement_file"].html_name for form in self.rows.forms]
        return names
