"""What the scoring page shows once the expert has declared: the application read-only, the county's
and finance's opinions, the auto-check with the county's judgements, and each indicator with its
evidence beside it. A fixed number of queries whatever the number of indicators and files."""

from dataclasses import dataclass
from decimal import Decimal

from applications.dossier import application_for_dossier, application_sections
from applications.enums import AttachmentSection
from applications.models import Application, Attachment

from ..screening.models import RecommendationEntry
from ..screening.selectors import screening_check
from .forms import SheetForm
from .models import RubricIndicator, ScoreSheet, plain_number
from .services import score_field


@dataclass(frozen=True)
class IndicatorRow:
    indicator: RubricIndicator
    field: object  # the bound form field
    evidence: list[tuple[str, list[Attachment]]]


def sheet_context(sheet: ScoreSheet, form: SheetForm | None = None) -> dict:
    application = (
        application_for_dossier(Application.objects.filter(pk=sheet.application_id))
        .select_related("unit__region", "batch")
        .prefetch_related("clause_judgements__decided_by")
        .get()
    )
    indicators = list(sheet.panel.indicators.all())
    if form is None:
        saved = {score.indicator_id: score.points for score in sheet.scores.all()}
        initial = {
            score_field(indicator): plain_number(saved[indicator.pk]) if indicator.pk in saved else ""
            for indicator in indicators
        }
        form = SheetForm(
            initial={**initial, "comment": sheet.comment, "vote": sheet.vote},
            indicators=indicators,
            votes=sheet.panel.votes,
        )
    by_section: dict[str, list[Attachment]] = {}
    for attachment in application.attachments.all():
        by_section.setdefault(attachment.section, []).append(attachment)
    labels = dict(AttachmentSection.choices)
    rows = [
        IndicatorRow(
            indicator=indicator,
            field=form[score_field(indicator)] if score_field(indicator) in form.fields else None,
            evidence=[
                (labels.get(section, section), by_section[section])
                for section in indicator.evidence_sections
                if section in by_section
            ],
        )
        for indicator in indicators
    ]
    entry = (
        RecommendationEntry.objects.filter(application_id=application.pk)
        .select_related("recommendation__region")
        .first()
    )
    return {
        "application": application,
        "unit": application.unit,
        "sections": application_sections(application),
        "specialties": list(application.specialties.all()),
        "partners": list(application.partners.all()),
        "check": screening_check(application),
        "entry": entry,
        "recommendation": entry.recommendation if entry else None,
        "form": form,
        "indicator_rows": rows,
        "max_total": plain_number(sum((indicator.max_points for indicator in indicators), Decimal(0))),
    }
