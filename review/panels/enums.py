"""States and choices of the expert review (clause 4.2), with the named groups other code asks about."""

from django.db import models


class PanelState(models.TextChoices):
    """评审组: formed by city HRSS, scores while open, closed when every sheet is in, then the city
    confirms the shortlist (初选名单)."""

    FORMING = "forming", "组建中"
    SCORING = "scoring", "评审中"
    CLOSED = "closed", "评审结束"
    CONFIRMED = "confirmed", "初选名单已确认"

    @classmethod
    def finished(cls) -> tuple[str, ...]:
        """Scores may be shown to the panel and the ranking read once the panel has closed."""
        return (cls.CLOSED, cls.CONFIRMED)


class ReviewMode(models.TextChoices):
    """原则上按照得分高低（得票多少）: a batch is scored, or voted on."""

    SCORE = "score", "评分（按得分高低）"
    VOTE = "vote", "投票（按得票多少）"


class MemberKind(models.TextChoices):
    EXPERT = "expert", "业务专家"
    CITY_HRSS = "city_hrss", "市人力社保局"
    CITY_FINANCE = "city_finance", "市财政局"


class DrawPurpose(models.TextChoices):
    INITIAL = "initial", "随机抽取"
    REPLACEMENT = "replacement", "回避替补抽取"


class SheetState(models.TextChoices):
    """评分表 (expert × application): ``assigned → declared | recused → submitted``."""

    ASSIGNED = "assigned", "待声明回避"
    DECLARED = "declared", "评分中"
    RECUSED = "recused", "已回避"
    SUBMITTED = "submitted", "已提交"

    @classmethod
    def open(cls) -> tuple[str, ...]:
        """Sheets the expert still owes."""
        return (cls.ASSIGNED, cls.DECLARED)


class RecusalReason(models.TextChoices):
    """回避情形, after 财库〔2016〕198号 第十六条."""

    EMPLOYMENT = "employment", "近三年内在该单位任职或工作"
    BOARD = "board", "担任该单位董事、监事"
    RELATIVE = "relative", "与该单位法定代表人存在近亲属关系"
    SAME_EMPLOYER = "same_employer", "与申报单位为同一单位（系统自动识别）"
    OTHER = "other", "其他可能影响公正评审的关系"

    @classmethod
    def declarable(cls) -> list[tuple[str, str]]:
        """What an expert may state when recusing (the same-employer case is detected, not declared)."""
        return [(value, label) for value, label in cls.choices if value != cls.SAME_EMPLOYER]


class Vote(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"


class ReminderKind(models.TextChoices):
    TWO_DAYS = "two_days", "截止前2天提醒"
    ONE_DAY = "one_day", "截止前1天提醒"


#: The three statements an expert signs before seeing an application (财库〔2016〕198号 第十六条).
DECLARATION_STATEMENTS: tuple[tuple[str, str], ...] = (
    ("no_employment", "本人近三年内未在该申报单位任职或工作"),
    ("no_board", "本人未担任该申报单位董事、监事"),
    ("no_relative", "本人与该申报单位法定代表人不存在近亲属关系"),
)
