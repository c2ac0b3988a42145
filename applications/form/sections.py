"""The sections of the application form (clauses 三（一） / 三（二）): one page each, with its fields
for each unit type, its evidence categories and the criteria of the auto-check it feeds.

Plain data, read by the form (`form.forms`), the detail and print pages (`dossier`) and the
Excel summary (`resources`), so that which field belongs to which unit type is written down once.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from ..enums import AttachmentSection
from ..policy import ENTERPRISES, clause_tag

#: The two kinds of form (not unit types: colleges and training institutions share one form).
KIND_INSTITUTION = "institution"
KIND_ENTERPRISE = "enterprise"


def unit_kind(unit_type: str) -> str:
    return KIND_ENTERPRISE if unit_type in ENTERPRISES else KIND_INSTITUTION


# --- The sections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A group of fields shown together, with the evidence category that proves them (if any)."""

    fields: tuple[str, ...] = ()
    evidence: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    clauses: Mapping[str, tuple[str, ...]]  # unit kind → clauses of the Measures this page answers
    blocks: Mapping[str, tuple[Block, ...]]  # unit kind → layout; a kind absent = page not shown
    criteria: tuple[str, ...] = ()  # criterion keys of the auto-check fed by this page
    rows: str = ""  # "specialties" | "partners" | "funds": the page has a row formset
    intro: str = ""

    def applies_to(self, unit_type: str) -> bool:
        return unit_kind(unit_type) in self.blocks

    def clauses_for(self, unit_type: str) -> tuple[str, ...]:
        return self.clauses.get(unit_kind(unit_type), ())

    def clause_tags(self, unit_type: str) -> str:
        return "、".join(clause_tag(clause) for clause in self.clauses_for(unit_type))

    def field_names(self, unit_type: str) -> list[str]:
        return [name for block in self.blocks[unit_kind(unit_type)] for name in block.fields]

    def evidence(self, unit_type: str) -> list[str]:
        return [block.evidence for block in self.blocks[unit_kind(unit_type)] if block.evidence]


def _both(*blocks: Block) -> dict[str, tuple[Block, ...]]:
    return {KIND_INSTITUTION: blocks, KIND_ENTERPRISE: blocks}


SECTIONS: tuple[Section, ...] = (
    Section(
        key="management",
        title="管理制度",
        clauses={KIND_INSTITUTION: ("3.1.1",), KIND_ENTERPRISE: ("3.2.2",)},
        blocks=_both(
            Block(("organisation_description", "management_structure_sound"), AttachmentSection.ORGANISATION),
            Block(("has_training_rules",), AttachmentSection.TRAINING_RULES),
            Block(("has_finance_rules",), AttachmentSection.FINANCE_RULES),
            Block(("has_asset_rules",), AttachmentSection.ASSET_RULES),
            Block(("has_risk_rules",), AttachmentSection.RISK_RULES),
            Block(("no_violations",)),
        ),
        criteria=(
            "management_structure_sound",
            "has_training_rules",
            "has_finance_rules",
            "has_asset_rules",
            "has_risk_rules",
            "no_violations",
        ),
        intro="请说明机构设置和岗位职责，逐项声明已建立的管理制度，并上传制度文件。各项声明由区县人力社保局对照佐证材料逐项判断。",
    ),
    Section(
        key="premises",
        title="场所设备",
        clauses={KIND_INSTITUTION: ("3.1.2",), KIND_ENTERPRISE: ("3.2.3",)},
        blocks={
            KIND_INSTITUTION: (
                Block(("premises_meet_standards", "premises_description"), AttachmentSection.PREMISES),
                Block(("facilities_meet_needs",), AttachmentSection.EQUIPMENT),
            ),
            KIND_ENTERPRISE: (
                Block(
                    ("premises_meet_standards", "premises_description", "venue_capacity"),
                    AttachmentSection.PREMISES,
                ),
                Block((), AttachmentSection.EQUIPMENT),
            ),
        },
        criteria=("premises_meet_standards", "facilities_meet_needs", "venue_capacity"),
        intro="培训场所和设施设备应符合国家建设和安全标准，请上传消防验收、安全评价等证明材料和设备清单。",
    ),
    Section(
        key="specialties",
        title="特色专业",
        clauses={KIND_INSTITUTION: ("3.1.2",)},
        blocks={KIND_INSTITUTION: ()},
        criteria=("specialty_count",),
        rows="specialties",
        intro="填写3—5个经济发展急需、紧缺的高技能人才培训特色专业（职业、工种）及与之相匹配的实训装备。",
    ),
    Section(
        key="training",
        title="培训评价",
        clauses={KIND_INSTITUTION: ("3.1.2", "3.1.5"), KIND_ENTERPRISE: ("3.2.3", "3.2.4")},
        blocks=_both(
            Block(
                ("trains_for_society", "annual_trainees", "annual_senior_trainees"),
                AttachmentSection.TRAINING,
            ),
            Block(("social_evaluation_capable", "annual_evaluations"), AttachmentSection.SOCIAL_EVALUATION),
        ),
        criteria=(
            "trains_for_society",
            "annual_trainees",
            "annual_senior_trainees",
            "social_evaluation_capable",
            "annual_evaluations",
        ),
        intro="按上一年度实际完成数填写，并上传培训、评价台账或统计证明。",
    ),
    Section(
        key="teachers",
        title="师资队伍",
        clauses={KIND_INSTITUTION: ("3.1.3",), KIND_ENTERPRISE: ("3.2.3",)},
        blocks={
            KIND_INSTITUTION: (
                Block(
                    (
                        "teacher_plan",
                        "teacher_development_plan",
                        "students",
                        "teachers",
                        "practical_teachers",
                        "senior_practical_teachers",
                    ),
                    AttachmentSection.TEACHERS,
                ),
            ),
            KIND_ENTERPRISE: (Block(("teachers",), AttachmentSection.TEACHERS),),
        },
        criteria=(
            "teacher_development_plan",
            "student_teacher_ratio",
            "senior_practical_teacher_share",
            "teachers",
        ),
        intro="请填写师资情况，并上传师资培养规划及师资名册（含职业资格、技能等级证书信息）。",
    ),
    Section(
        key="partners",
        title="合作企业",
        clauses={KIND_INSTITUTION: ("3.1.4",)},
        blocks={KIND_INSTITUTION: (Block(("joint_training_with_partners",), AttachmentSection.COOPERATION),)},
        criteria=("partner_enterprises", "joint_training_with_partners"),
        rows="partners",
        intro="逐家填写建立稳定合作关系的企业，并为每家企业上传合作协议（PDF、JPG或PNG）。",
    ),
    Section(
        key="enterprise",
        title="企业规模与领域",
        clauses={KIND_ENTERPRISE: ("3.2.1",)},
        blocks={
            KIND_ENTERPRISE: (
                Block(
                    ("industry_category", "employees", "operating_revenue", "total_assets"),
                    AttachmentSection.ENTERPRISE_SIZE,
                ),
                Block(("sector", "industry_code")),
                Block(("supports_skilled_talent",), AttachmentSection.TALENT_SUPPORT),
            )
        },
        criteria=("size", "sector", "supports_skilled_talent"),
        intro=(
            "企业规模不由申报单位自选：系统按《统计上大中小微型企业划分办法（2017）》（国统字〔2017〕213号）"
            "根据所属行业、从业人员、营业收入和资产总额认定。所属领域请按国民经济行业分类（GB/T 4754-2017）"
            "填写行业代码，由区县人力社保局判断是否属于先进制造业、现代服务业。"
        ),
    ),
    Section(
        key="funds",
        title="培训经费",
        clauses={KIND_ENTERPRISE: ("3.2.1",)},
        blocks={KIND_ENTERPRISE: (Block((), AttachmentSection.FUNDS),)},
        criteria=("training_fund_years",),
        rows="funds",
        intro="填写申报年度前三年的职工工资总额和职工教育经费提取、使用情况，并上传财务证明。",
    ),
    Section(
        key="integrity",
        title="诚信承诺",
        clauses={},
        blocks=_both(
            Block(("integrity_declared", "integrity_signatory"), AttachmentSection.INTEGRITY),
            Block((), AttachmentSection.OTHER),
        ),
        intro="请阅读承诺内容，勾选并填写承诺人，上传由法定代表人签字并加盖单位公章的诚信承诺书扫描件。",
    ),
)
SECTIONS_BY_KEY: Mapping[str, Section] = {section.key: section for section in SECTIONS}


def sections_for(unit_type: str) -> list[Section]:
    return [section for section in SECTIONS if section.applies_to(unit_type)]


def section_field_names(unit_type: str) -> list[str]:
    """Every Application field the unit type fills in, in the order of the form."""
    return [name for section in sections_for(unit_type) for name in section.field_names(unit_type)]


def all_field_names() -> list[str]:
    """Every Application field of the form for any unit type, in the order of the form."""
    names: list[str] = []
    for section in SECTIONS:
        for blocks in section.blocks.values():
            names += [name for block in blocks for name in block.fields if name not in names]
    return names


#: Evidence of criteria not (only) read from a block's fields: those judged on rows, the derived
#: size and field, and the lawfulness the signed integrity promise attests.
EXTRA_CRITERION_EVIDENCE = {
    "specialty_count": (AttachmentSection.EQUIPMENT,),
    "partner_enterprises": (AttachmentSection.PARTNER_AGREEMENT,),
    "training_fund_years": (AttachmentSection.FUNDS,),
    "size": (AttachmentSection.ENTERPRISE_SIZE,),
    "sector": (AttachmentSection.ENTERPRISE_SIZE,),
    "no_violations": (AttachmentSection.INTEGRITY,),
    "annual_evaluations": (AttachmentSection.TRAINING,),
}


def criterion_evidence(unit_type: str, criteria) -> dict[str, tuple[str, ...]]:
    """For each criterion (of the policy, for `unit_type`), the evidence categories that prove it:
    those of the form's blocks holding the fields it reads — so that the county sees a clause's
    evidence next to its judgement."""
    by_field: dict[str, list[str]] = {}
    for section in sections_for(unit_type):
        for block in section.blocks[unit_kind(unit_type)]:
            if block.evidence:
                for name in block.fields:
                    by_field.setdefault(name, []).append(block.evidence)
    evidence: dict[str, tuple[str, ...]] = {}
    for criterion in criteria:
        found: list[str] = list(EXTRA_CRITERION_EVIDENCE.get(criterion.key, ()))
        for key in criterion.indicator_keys:
            found += [category for category in by_field.get(key, []) if category not in found]
        evidence[criterion.key] = tuple(found)
    return evidence
