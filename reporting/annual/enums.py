"""States and choices of the annual report (年度报告, clause 6.3)."""

from django.db import models


class ReportState(models.TextChoices):
    """``draft → submitted → (returned ⇄ submitted) → county_approved → city_received``.

    The city may send an approved report back to its county with questions (``county_approved →
    submitted``); being overdue is a flag (``AnnualReport.overdue_at``), not a state: an overdue
    report still goes through the same steps once the city grants a late window.
    """

    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "待区县审核"
    RETURNED = "returned", "退回修改"
    COUNTY_APPROVED = "county_approved", "区县已审核，待市级备案"
    CITY_RECEIVED = "city_received", "市级已备案"

    @classmethod
    def editable(cls) -> tuple[str, ...]:
        return (cls.DRAFT, cls.RETURNED)

    @classmethod
    def handed_in(cls) -> tuple[str, ...]:
        return (cls.SUBMITTED, cls.COUNTY_APPROVED, cls.CITY_RECEIVED)


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", "审核通过，报送市人力社保局"
    RETURN = "return", "退回修改"


class CityDecision(models.TextChoices):
    RECEIVE = "receive", "备案"
    QUERY = "query", "提出问题，退回区县"


class NoticeKind(models.TextChoices):
    """The December timers' messages to a base (one row each: the sweep sends each once)."""

    OPENED = "opened", "年度报告开启通知"
    REMINDER_1 = "reminder_1", "第一次催报提醒"
    REMINDER_2 = "reminder_2", "第二次催报提醒"
    OVERDUE = "overdue", "逾期通知"


class FundPurpose(models.TextChoices):
    """Purposes of the funds (clause 5.1), as the report's funds section lists them."""

    EQUIPMENT = "equipment", "实训设备购置改造与维护"
    INFRASTRUCTURE = "infrastructure", "培训基础设施完善"
    TEACHER_TRAINING = "teacher_training", "师资培训"
    OTHER = "other", "其他"


class QueueFilter(models.TextChoices):
    DUE = "due", "待填报"
    SUBMITTED = "submitted", "待审核"
    OVERDUE = "overdue", "已逾期"
    FLAGGED = "flagged", "未达标预警"
    APPROVED = "approved", "已审核"
