"""States and choices of the training bases (clauses 5 and 6 of the Measures)."""

from django.db import models


class BaseState(models.TextChoices):
    """实训基地: active once the decision is issued; an assessment of 整改 puts it into rectification
    until a follow-up passes; 退出 (decided by the city) is final (clause 6.2)."""

    ACTIVE = "active", "正常运行"
    RECTIFYING = "rectifying", "限期整改"
    EXITED = "exited", "已退出"

    @classmethod
    def listed(cls) -> tuple[str, ...]:
        """Still a municipal base (on the public list and in the statistics): exit removes it."""
        return (cls.ACTIVE, cls.RECTIFYING)


class FundingPurpose(models.TextChoices):
    """经费用途 of clause 5.1: 主要用于实训设备的购置改造与维护、培训基础设施完善、师资培训等."""

    EQUIPMENT = "equipment", "实训设备购置改造与维护"
    INFRASTRUCTURE = "infrastructure", "培训基础设施完善"
    TEACHER_TRAINING = "teacher_training", "师资培训"
    OTHER = "other", "其他"


class AssessmentResult(models.TextChoices):
    """考核评估结论 (clause 6.2): 合格; 整改 (限期整改); 退出 (对未达标的实行退出机制)."""

    PASSED = "passed", "合格"
    RECTIFY = "rectify", "整改"
    EXIT = "exit", "退出"

    @classmethod
    def needing_reasons(cls) -> tuple[str, ...]:
        return (cls.RECTIFY, cls.EXIT)


class ExitDecision(models.TextChoices):
    """What became of an assessment concluding 退出: proposed (by the county, or the city's own
    inspection), then decided by the city HRSS bureau."""

    PROPOSED = "proposed", "待市人力社保局决定"
    APPROVED = "approved", "同意退出"
    REJECTED = "rejected", "不予退出"
