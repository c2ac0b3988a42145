"""Read queries of the batch pages."""

from django.db.models import QuerySet

from ..enums import ApplicationState
from ..models import Application, Batch
from ..selectors import application_for_check_in_list, applications_visible_to


def applications_for_export(user, batch: Batch) -> QuerySet[Application]:
    """A batch's handed-in applications for the city's summary sheet, ready for a fixed query count
    (the partner enterprises counted in SQL: the sheet shows how many, never who)."""
    return application_for_check_in_list(
        applications_visible_to(user).filter(batch=batch, state__in=ApplicationState.visible_to_county())
    ).order_by("unit__region__sort_order", "unit__name", "pk")
