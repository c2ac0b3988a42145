"""How far the unit has got with its form: each section's tick, the "已完成 n/m" counter and the
final 检查并提交 step — always computed from what is saved in the database.

A page re-rendered after a failed save must not tick a section for input that was never written:
a bound ModelForm copies the valid part of what was typed onto its instance while it validates
(`construct_instance`), so the progress is read from a fresh copy of the saved row instead
(`saved_application`).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from ..completeness import section_missing
from ..models import Application, Attachment
from ..selectors import application_for_check
from .sections import Section, sections_for


@dataclass(frozen=True)
class Step:
    """One section of the form in the step list."""

    section: Section
    missing: list[str]
    active: bool
    url: str

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class FormProgress:
    steps: list[Step]
    #: The last step, after the sections: the page that checks everything and submits.
    submit_url: str
    submit_active: bool

    @property
    def complete_count(self) -> int:
        return sum(1 for step in self.steps if step.complete)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def all_complete(self) -> bool:
        return self.complete_count == self.total


def saved_application(application: Application) -> Application:
    """The application as saved, with what the completeness check reads (2 + 3 prefetch queries)."""
    return application_for_check(Application.objects.select_related("batch", "unit")).get(pk=application.pk)


def form_progress(
    application: Application,
    attachments: Iterable[Attachment],
    *,
    active: Section | None = None,
) -> FormProgress:
    """The steps of `application`'s form. `application` must be as saved (not an instance a bound
    form has changed: see `saved_application`), with `specialties`, `partners` and `fund_years`
    prefetched; `attachments` are its saved files. `active` is the section being shown (None: the
    检查并提交 page)."""
    present = {attachment.section for attachment in attachments}
    steps = [
        Step(
            section=section,
            missing=section_missing(section, application, present),
            active=section == active,
            url=reverse("applications:edit_section", args=[application.pk, section.key]),
        )
        for section in sections_for(application.unit.unit_type)
    ]
    return FormProgress(
        steps=steps,
        submit_url=reverse("applications:submit", args=[application.pk]),
        submit_active=active is None,
    )
