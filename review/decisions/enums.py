"""States of the decision (发文) and its outbox."""

from django.db import models


class DecisionState(models.TextChoices):
    """认定文件: drafted by city HRSS, co-signed by city finance, issued by city HRSS.

    Finance may decline (退回) a draft or withdraw its co-signature before the issue, with a reason:
    the decision goes back to the draft.
    """

    DRAFT = "draft", "起草中"
    COSIGNED = "cosigned", "财政已会签"
    ISSUED = "issued", "已印发"


class OutboxKind(models.TextChoices):
    UNIT = "unit", "申报单位"
    COUNTY = "county", "区县人力社保局"
