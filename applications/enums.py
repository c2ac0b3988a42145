"""States and choices of the applications app, with the named groups other code asks about."""

from django.db import models

from .policy import COLLEGE, ENTERPRISE, SECTOR_CHOICES, SIZE_CHOICES, TRAINING_INSTITUTION, UNIT_TYPE_LABELS


# Values and labels come from the policy vocabularies, so they are written down once.
class UnitType(models.TextChoices):
    COLLEGE = COLLEGE, UNIT_TYPE_LABELS[COLLEGE]
    TRAINING_INSTITUTION = TRAINING_INSTITUTION, UNIT_TYPE_LABELS[TRAINING_INSTITUTION]
    ENTERPRISE = ENTERPRISE, UNIT_TYPE_LABELS[ENTERPRISE]


class Sector(models.TextChoices):
    ADVANCED_MANUFACTURING = "advanced_manufacturing", SECTOR_CHOICES["advanced_manufacturing"]
    MODERN_SERVICES = "modern_services", SECTOR_CHOICES["modern_services"]
    OTHER = "other", SECTOR_CHOICES["other"]


class EnterpriseSize(models.TextChoices):
    LARGE = "large", SIZE_CHOICES["large"]
    MEDIUM = "medium", SIZE_CHOICES["medium"]
    SMALL = "small", SIZE_CHOICES["small"]
    MICRO = "micro", SIZE_CHOICES["micro"]


class BatchState(models.TextChoices):
    DRAFT = "draft", "筹备中"
    OPEN = "open", "申报中"
    SCREENING = "screening", "区县初审"
    EXPERT_REVIEW = "expert_review", "专家评审"
    PUBLICITY = "publicity", "公示中"
    CONCLUDED = "concluded", "已结束"


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已提交（待区县初审）"
    RETURNED = "returned", "退回修改"
    COUNTY_REJECTED = "county_rejected", "初审不通过"
    RECOMMENDED = "recommended", "区县已推荐"
    UNDER_REVIEW = "under_review", "专家评审中"
    SHORTLISTED = "shortlisted", "拟入选"
    NOT_SELECTED = "not_selected", "未入选"
    IN_PUBLICITY = "in_publicity", "公示中"
    APPROVED = "approved", "已认定"
    DISQUALIFIED = "disqualified", "取消资格"
    WITHDRAWN = "withdrawn", "已放弃申报"

    @classmethod
    def editable(cls) -> tuple[str, ...]:
        """The unit may change its figures and files only in these states."""
        return (cls.DRAFT, cls.RETURNED)

    @classmethod
    def withdrawable(cls) -> tuple[str, ...]:
        """States from which the unit may give up the batch (放弃本批次申报, final)."""
        return (cls.DRAFT, cls.SUBMITTED, cls.RETURNED)

    @classmethod
    def recallable(cls) -> tuple[str, ...]:
        """States from which the unit may take its submission back for editing (撤回修改): handed in,
        the county not yet decided. The clock and the county's list decide the rest
        (`workflow.services.application_recall_refusal`)."""
        return (cls.SUBMITTED,)

    @classmethod
    def visible_to_county(cls) -> tuple[str, ...]:
        """Everything the unit has handed in at least once; drafts stay private to the unit."""
        return tuple(state for state in cls.values if state not in (cls.DRAFT, cls.WITHDRAWN))


class AttachmentSection(models.TextChoices):
    """Where a piece of evidence belongs on the form; each maps to the clause it proves."""

    TRAINING_RULES = "training_rules", "培训管理制度"
    FINANCE_RULES = "finance_rules", "财务管理制度"
    ASSET_RULES = "asset_rules", "资产管理制度"
    RISK_RULES = "risk_rules", "风险管理制度"
    ORGANISATION = "organisation", "机构设置与岗位职责"
    PREMISES = "premises", "场所符合国家建设和安全标准的证明"
    EQUIPMENT = "equipment", "实训设备清单"
    TRAINING = "training", "培训及评价情况证明"
    TEACHERS = "teachers", "师资培养规划及师资名册"
    PARTNER_AGREEMENT = "partner_agreement", "校企合作协议"
    COOPERATION = "cooperation", "校企共同培养证明（共建课程、聘任企业导师等）"
    SOCIAL_EVALUATION = "social_evaluation", "社会化职业技能评价资质或备案证明"
    ENTERPRISE_SIZE = "enterprise_size", "从业人员、营业收入、资产总额证明（上年度财务报表等）"
    TALENT_SUPPORT = "talent_support", "支持高技能人才培养的制度和措施"
    FUNDS = "funds", "职工培训经费提取使用证明"
    INTEGRITY = "integrity", "诚信承诺书（盖章）"
    OTHER = "other", "其他材料"

    @classmethod
    def required(cls) -> tuple[str, ...]:
        """Evidence without which no application can be submitted (clauses 3.1.1/3.2.2, 3.1.2/3.2.3)."""
        return (
            cls.TRAINING_RULES,
            cls.FINANCE_RULES,
            cls.ASSET_RULES,
            cls.RISK_RULES,
            cls.PREMISES,
            cls.INTEGRITY,
        )

    @classmethod
    def required_for(cls, unit_type: str) -> tuple[str, ...]:
        """`required()` plus what an enterprise must prove (三（二）1: its size and its training fund)."""
        if unit_type == UnitType.ENTERPRISE:
            return (*cls.required(), cls.ENTERPRISE_SIZE, cls.FUNDS)
        return cls.required()
