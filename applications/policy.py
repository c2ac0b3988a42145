"""Policy thresholds as data, one ``PolicyVersion`` per published Measures.

The eligibility engine (``applications.eligibility``) reads these records and knows nothing about
particular numbers, so a revised Measures is added here as a new ``PolicyVersion`` and registered
in ``POLICIES``; the engine does not change. Pure Python on purpose: no Django imports, so the
records can be used by forms, the rubric seeder and fast unit tests alike.

Clause ids follow DESIGN.md section 2: ``"3.1.2"`` is 三（一）2 of 绍市人社发〔2022〕47号.
Thresholds use exact numbers (``int`` or ``Fraction``) so that "40%以上" is compared without
floating-point error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from functools import cache
from types import MappingProxyType
from typing import Final

# --- Unit types --------------------------------------------------------------------------------

COLLEGE: Final = "college"
TRAINING_INSTITUTION: Final = "training_institution"
ENTERPRISE: Final = "enterprise"
UNIT_TYPES: Final[tuple[str, ...]] = (COLLEGE, TRAINING_INSTITUTION, ENTERPRISE)

UNIT_TYPE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {COLLEGE: "职技院校", TRAINING_INSTITUTION: "职业培训机构", ENTERPRISE: "企业"}
)

# 三（一） applies to colleges and training institutions alike; 三（二） to enterprises.
INSTITUTIONS: Final = frozenset({COLLEGE, TRAINING_INSTITUTION})
ENTERPRISES: Final = frozenset({ENTERPRISE})

# --- Vocabularies of the enumerated indicators (DESIGN.md section 9) -----------------------------

SIZE_CHOICES: Final[Mapping[str, str]] = MappingProxyType(
    {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
)
SECTOR_CHOICES: Final[Mapping[str, str]] = MappingProxyType(
    {"advanced_manufacturing": "先进制造业", "modern_services": "现代服务业", "other": "其他行业"}
)

# Chinese names of the raw indicators, for messages that mention an input of a derived criterion
# (e.g. "未填写专兼职教师人数") and for form labels.
INDICATOR_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "annual_trainees": "年职业培训规模",
        "annual_senior_trainees": "高级工及以上年培训人数",
        "annual_evaluations": "年评价规模",
        "has_training_rules": "培训管理制度",
        "has_finance_rules": "财务管理制度",
        "has_asset_rules": "资产管理制度",
        "has_risk_rules": "风险管理制度",
        "no_violations": "遵纪守法、无违规违纪事件",
        "premises_meet_standards": "场所设施符合国家建设和安全标准",
        "specialty_count": "特色专业（职业、工种）数量",
        "students": "学员人数",
        "teachers": "专兼职教师人数",
        "practical_teachers": "实训教师总数",
        "senior_practical_teachers": "高级实习指导教师和高级技师教师人数",
        "partner_enterprises": "合作企业数量",
        "sector": "所属领域",
        "size": "企业规模",
        "training_fund_years": "职工培训经费连续足额提取使用年数",
        "venue_capacity": "培训评价场所容纳人数",
        "management_structure_sound": "管理能力与组织管理体系",
        "facilities_meet_needs": "满足培训和评价需要的场所和设备",
        "trains_for_society": "面向社会开展培训（评价）",
        "teacher_development_plan": "师资培养规划和实施方案",
        "joint_training_with_partners": "与合作企业共同培养",
        "social_evaluation_capable": "承担社会化职业技能评价",
        "supports_skilled_talent": "重视支持高技能人才培养",
    }
)


class CriterionKind(StrEnum):
    """How the engine judges a criterion; each kind uses a documented subset of the numbers."""

    DECLARATION = "declaration"  # bool the unit declares; True goes to the reviewer, False fails
    AT_LEAST = "at_least"  # count >= minimum ("不少于 / 以上" include the number itself)
    BETWEEN = "between"  # minimum <= count <= maximum (above: see ``judgement_above_maximum``)
    CHOICE = "choice"  # value must be one of ``allowed`` (a subset of ``choices``)
    RATIO_BAND = "ratio_band"  # inputs[0] / inputs[1] within [minimum, maximum]; above fails
    SHARE_AT_LEAST = "share_at_least"  # inputs[0] / inputs[1] >= minimum (a Fraction of 1)


Number = int | Fraction


@dataclass(frozen=True, slots=True)
class Criterion:
    """One requirement of the Measures, with the numbers that decide it.

    ``requirement`` quotes or closely paraphrases the Measures so that reviewers can match it to
    the printed text. ``inputs`` names the indicators a derived criterion reads (empty means the
    criterion reads the indicator named ``key``). ``part_of`` names an indicator this count is a
    subset of ("其中高级工及以上…"), so that a subset larger than its whole is caught.
    ``judgement_below_minimum`` sends values below the band to the reviewer instead of failing
    them: a student:teacher ratio better than 1:16 is not a defect, but is outside the text;
    ``judgement_above_maximum`` does the same above the band (six specialties: the county confirms
    the 3–5 the base is built around). ``judgement_when_met`` makes meeting the number (or naming
    an allowed choice) necessary but not sufficient: the Measures name a quality, a person judges it
    ("有满足培训需要的教师队伍": none fails, some is for the reviewer). ``bounded_by`` lists
    (part, whole) pairs of indicators that no real unit can invert (实训教师 ≤ 专兼职教师): an
    inverted pair fails the criterion as inconsistent data.
    """

    clause: str
    key: str
    kind: CriterionKind
    label: str
    requirement: str
    unit_types: frozenset[str]
    unit: str = ""
    minimum: Number | None = None
    maximum: Number | None = None
    allowed: tuple[str, ...] = ()
    choices: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    inputs: tuple[str, ...] = ()
    part_of: str | None = None
    judgement_below_minimum: bool = False
    judgement_above_maximum: bool = False
    judgement_when_met: bool = False
    bounded_by: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        # Catch a mistyped policy when the module is imported, not when an applicant submits.
        unknown_types = self.unit_types - set(UNIT_TYPES)
        if not self.unit_types or unknown_types:
            raise ValueError(f"条款 {self.clause} {self.key}：适用单位类型无效 {sorted(unknown_types)}")
        problem = _KIND_CHECKS[self.kind](self)
        if problem:
            raise ValueError(f"条款 {self.clause} {self.key}：{problem}")

    @property
    def indicator_keys(self) -> tuple[str, ...]:
        """The raw indicators this criterion judges (not those its ``bounded_by`` checks only)."""
        return self.inputs or (self.key,)

    def applies_to(self, unit_type: str) -> bool:
        return unit_type in self.unit_types


def _check_at_least(criterion: Criterion) -> str:
    return "" if criterion.minimum is not None else "AT_LEAST 需要 minimum"


def _check_between(criterion: Criterion) -> str:
    if criterion.minimum is None or criterion.maximum is None:
        return "BETWEEN 需要 minimum 和 maximum"
    return "" if criterion.minimum <= criterion.maximum else "minimum 不能大于 maximum"


def _check_choice(criterion: Criterion) -> str:
    if not criterion.allowed or not set(criterion.allowed) <= set(criterion.choices):
        return "CHOICE 的 allowed 必须是 choices 的非空子集"
    return ""


def _check_ratio_band(criterion: Criterion) -> str:
    if len(criterion.inputs) != 2:
        return "RATIO_BAND 需要两个 inputs（分子、分母）"
    return _check_between(criterion)


def _check_share(criterion: Criterion) -> str:
    if len(criterion.inputs) != 2:
        return "SHARE_AT_LEAST 需要两个 inputs（部分、总数）"
    if criterion.minimum is None or not 0 < criterion.minimum <= 1:
        return "SHARE_AT_LEAST 的 minimum 必须在 (0, 1] 之间"
    return ""


_KIND_CHECKS: Final = MappingProxyType(
    {
        CriterionKind.DECLARATION: lambda criterion: "",
        CriterionKind.AT_LEAST: _check_at_least,
        CriterionKind.BETWEEN: _check_between,
        CriterionKind.CHOICE: _check_choice,
        CriterionKind.RATIO_BAND: _check_ratio_band,
        CriterionKind.SHARE_AT_LEAST: _check_share,
    }
)


@cache
def clause_sort_key(clause: str) -> tuple[int, ...]:
    """Sort "3.1.10" after "3.1.9" (numeric, not lexical)."""
    return tuple(int(part) for part in clause.split("."))


_CHINESE_DIGITS: Final = "零一二三四五六七八九"


def _chinese_number(value: int) -> str:
    """1–99 in Chinese numerals, as clause headings are numbered (三、 / （一） / 十二)."""
    tens, ones = divmod(value, 10)
    if tens == 0:
        return _CHINESE_DIGITS[ones]
    prefix = "" if tens == 1 else _CHINESE_DIGITS[tens]
    return prefix + "十" + (_CHINESE_DIGITS[ones] if ones else "")


@cache  # a handful of clauses, asked for every criterion of every row of a list
def clause_tag(clause: str) -> str:
    """Render a clause id the way the Measures print it: "3.1.2" -> "三（一）2"."""
    parts = [int(part) for part in clause.split(".")]
    tag = _chinese_number(parts[0])
    if len(parts) > 1:
        tag += f"（{_chinese_number(parts[1])}）"
    return tag + "".join(str(part) for part in parts[2:])


def _percent(share: Fraction) -> str:
    value = share * 100
    return f"{value.numerator // value.denominator if value.denominator == 1 else float(value):g}%"


@dataclass(frozen=True, slots=True)
class TrainingFundRule:
    """When a year's 职工教育培训经费 counts as "足额提取并用于一线职工培训" (三（二）1).

    The Measures give no number; the standard they rely on does: 《关于企业职工教育经费提取与使用
    管理的意见》(财建〔2006〕317号) — drawn at least 1.5% of the payroll, and at least 60% of it spent
    on front-line staff.
    """

    draw_share: Fraction
    frontline_share: Fraction
    source: str

    def draw_required(self, payroll) -> Fraction:
        return Fraction(payroll) * self.draw_share

    @property
    def draw_percent(self) -> str:
        return _percent(self.draw_share)

    @property
    def frontline_percent(self) -> str:
        return _percent(self.frontline_share)

    @property
    def description(self) -> str:
        """The rule in the words the form and the county read."""
        return (
            f"按{self.source}，实际提取的职工教育经费不少于职工工资总额的{self.draw_percent}，"
            f"且用于一线职工教育培训的不少于其{self.frontline_percent}，该年度方计为“足额提取并用于一线职工培训”"
        )

    def counts(self, payroll, drawn, frontline) -> bool:
        """Every amount positive, drawn ≥ the share of the payroll, front-line ≥ the share of drawn
        (and not more than drawn: no unit spends on front-line staff more than it drew)."""
        values = (payroll, drawn, frontline)
        if any(value is None or Fraction(value) <= 0 for value in values):
            return False
        drawn_, frontline_ = Fraction(drawn), Fraction(frontline)
        return drawn_ >= self.draw_required(payroll) and drawn_ * self.frontline_share <= frontline_ <= drawn_


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """A published version of the Measures and every criterion it sets."""

    code: str
    title: str
    effective_date: date
    criteria: tuple[Criterion, ...]
    clause_titles: Mapping[str, str] = field(hash=False)
    training_fund_rule: TrainingFundRule = field(
        default=TrainingFundRule(Fraction(15, 1000), Fraction(60, 100), "财建〔2006〕317号"), hash=False
    )

    def __post_init__(self) -> None:
        for unit_type in UNIT_TYPES:
            keys = [criterion.key for criterion in self.criteria_for(unit_type)]
            if len(keys) != len(set(keys)):
                raise ValueError(f"{self.code}：{unit_type} 的判定项 key 重复")
        untitled = {criterion.clause for criterion in self.criteria} - set(self.clause_titles)
        if untitled:
            raise ValueError(f"{self.code}：条款 {sorted(untitled)} 缺少标题")

    def criteria_for(self, unit_type: str) -> tuple[Criterion, ...]:
        """The criteria for one unit type, by clause, keeping declaration order within a clause.
        Sorted once per version and unit type (the version is immutable; lists ask it per row)."""
        return _criteria_for(self, unit_type)


@cache
def _criteria_for(policy: PolicyVersion, unit_type: str) -> tuple[Criterion, ...]:
    applicable = (criterion for criterion in policy.criteria if criterion.applies_to(unit_type))
    return tuple(sorted(applicable, key=lambda criterion: clause_sort_key(criterion.clause)))


# --- 绍市人社发〔2022〕47号 ------------------------------------------------------------------------


def _rule_declarations(clause: str, unit_types: frozenset[str], violations_wording: str) -> list[Criterion]:
    """The rules-and-integrity declarations shared by 三（一）1 and 三（二）2."""
    rules = [
        ("has_training_rules", "已建立规范的培训管理制度"),
        ("has_finance_rules", "已建立规范的财务管理制度"),
        ("has_asset_rules", "已建立规范的资产管理制度"),
        ("has_risk_rules", "已建立规范的风险管理制度"),
        ("no_violations", violations_wording),
    ]
    return [
        Criterion(
            clause=clause,
            key=key,
            kind=CriterionKind.DECLARATION,
            label=INDICATOR_LABELS[key],
            requirement=requirement,
            unit_types=unit_types,
        )
        for key, requirement in rules
    ]


def _count_at_least(
    clause: str,
    key: str,
    minimum: int,
    requirement: str,
    unit_types: frozenset[str],
    unit: str = "人",
    part_of: str | None = None,
) -> Criterion:
    return Criterion(
        clause=clause,
        key=key,
        kind=CriterionKind.AT_LEAST,
        label=INDICATOR_LABELS[key],
        requirement=requirement,
        unit_types=unit_types,
        unit=unit,
        minimum=minimum,
        part_of=part_of,
    )


def _premises_declaration(clause: str, unit_types: frozenset[str], requirement: str) -> Criterion:
    return Criterion(
        clause=clause,
        key="premises_meet_standards",
        kind=CriterionKind.DECLARATION,
        label=INDICATOR_LABELS["premises_meet_standards"],
        requirement=requirement,
        unit_types=unit_types,
    )


def _declaration(clause: str, key: str, requirement: str, unit_types: frozenset[str]) -> Criterion:
    """A condition the Measures state in words: the unit declares it with evidence, a person judges."""
    return Criterion(
        clause=clause,
        key=key,
        kind=CriterionKind.DECLARATION,
        label=INDICATOR_LABELS[key],
        requirement=requirement,
        unit_types=unit_types,
    )


_INSTITUTION_CRITERIA_2022: Final = (
    # 三（一）1 管理能力与制度
    _declaration(
        "3.1.1",
        "management_structure_sound",
        "具有较强的管理能力和高效的组织管理体系，单位机构设置合理，部门职能和教职工岗位职责明确",
        INSTITUTIONS,
    ),
    *_rule_declarations("3.1.1", INSTITUTIONS, "遵守国家有关法律法规，未发生过违规违纪事件"),
    # 三（一）2 场所设施与培训规模
    _premises_declaration("3.1.2", INSTITUTIONS, "培训场所和设施设备符合国家建设和安全标准"),
    _declaration("3.1.2", "facilities_meet_needs", "具有能满足培训和评价需要的场所和设备", INSTITUTIONS),
    Criterion(
        clause="3.1.2",
        key="specialty_count",
        kind=CriterionKind.BETWEEN,
        label=INDICATOR_LABELS["specialty_count"],
        requirement="具有与3—5个经济发展急需、紧缺高技能人才培训特色专业（职业、工种）相匹配的实训装备",
        unit_types=INSTITUTIONS,
        unit="个",
        minimum=3,
        maximum=5,
        judgement_above_maximum=True,
    ),
    _declaration("3.1.2", "trains_for_society", "面向企业、学校和社会开展职业技能培训", INSTITUTIONS),
    _count_at_least("3.1.2", "annual_trainees", 1500, "年职业培训规模不少于1500人", INSTITUTIONS),
    _count_at_least(
        "3.1.2",
        "annual_senior_trainees",
        400,
        "其中高级工及以上培训不少于400人",
        INSTITUTIONS,
        part_of="annual_trainees",
    ),
    # 三（一）3 师资队伍
    _declaration(
        "3.1.3",
        "teacher_development_plan",
        "有科学合理的师资培养规划和实施方案，重视专业带头人和骨干教师队伍建设",
        INSTITUTIONS,
    ),
    Criterion(
        clause="3.1.3",
        key="student_teacher_ratio",
        kind=CriterionKind.RATIO_BAND,
        label="师生比",
        requirement="有满足培训需要的稳定的专、兼职教师队伍，师生比为1:16—1:20",
        unit_types=INSTITUTIONS,
        minimum=16,
        maximum=20,
        inputs=("students", "teachers"),
        judgement_below_minimum=True,
    ),
    Criterion(
        clause="3.1.3",
        key="senior_practical_teacher_share",
        kind=CriterionKind.SHARE_AT_LEAST,
        label="高级实训教师占比",
        requirement="高级实习指导教师和具有高级技师职业资格的教师占实训教师总数的40%以上",
        unit_types=INSTITUTIONS,
        minimum=Fraction(40, 100),
        inputs=("senior_practical_teachers", "practical_teachers"),
        bounded_by=(("practical_teachers", "teachers"),),
    ),
    # 三（一）4 校企合作
    _count_at_least(
        "3.1.4",
        "partner_enterprises",
        20,
        "至少与20家以上相关企业建立稳定的合作关系",
        INSTITUTIONS,
        unit="家",
    ),
    _declaration(
        "3.1.4",
        "joint_training_with_partners",
        "与合作企业共同研究确定专业建设、课程设置、培养计划、师资建设、研发课题和培训实习方案，"
        "聘请企业高级技师、技师和专业技术人员担任指导教师",
        INSTITUTIONS,
    ),
    # 三（一）5 技能评价
    _declaration("3.1.5", "social_evaluation_capable", "能承担社会化职业技能评价工作", INSTITUTIONS),
    _count_at_least("3.1.5", "annual_evaluations", 1500, "年评价规模不少于1500人", INSTITUTIONS),
)

_ENTERPRISE_CRITERIA_2022: Final = (
    # 三（二）1 企业类型与培训经费
    Criterion(
        clause="3.2.1",
        key="size",
        kind=CriterionKind.CHOICE,
        label=INDICATOR_LABELS["size"],
        requirement="属于大中型企业",
        unit_types=ENTERPRISES,
        allowed=("large", "medium"),
        choices=SIZE_CHOICES,
    ),
    Criterion(
        clause="3.2.1",
        key="sector",
        kind=CriterionKind.CHOICE,
        label=INDICATOR_LABELS["sector"],
        requirement="属于先进制造业、现代服务业领域",
        unit_types=ENTERPRISES,
        allowed=("advanced_manufacturing", "modern_services"),
        choices=SECTOR_CHOICES,
        # The unit names its field with its industry code (GB/T 4754-2017); whether that field is
        # advanced manufacturing or modern services is the county's call, not a code list of ours.
        judgement_when_met=True,
    ),
    _declaration("3.2.1", "supports_skilled_talent", "重视支持高技能人才的培养", ENTERPRISES),
    _count_at_least(
        "3.2.1",
        "training_fund_years",
        3,
        "企业职工培训经费连续3年足额提取并用于一线职工培训",
        ENTERPRISES,
        unit="年",
    ),
    # 三（二）2 管理制度
    _declaration(
        "3.2.2",
        "management_structure_sound",
        "有较强的培训组织管理能力和高效的组织管理体系",
        ENTERPRISES,
    ),
    *_rule_declarations("3.2.2", ENTERPRISES, "遵守国家有关法律法规，未发生违规违纪事件"),
    # 三（二）3 培训场所、师资与规模
    _declaration("3.2.3", "trains_for_society", "开展面向社会的职业技能培训和评价工作", ENTERPRISES),
    _count_at_least(
        "3.2.3", "venue_capacity", 100, "有满足开展100人以上培训评价的场所、设施设备", ENTERPRISES
    ),
    _premises_declaration("3.2.3", ENTERPRISES, "培训评价场所、设施设备符合国家建设和安全标准"),
    Criterion(
        clause="3.2.3",
        key="teachers",
        kind=CriterionKind.AT_LEAST,
        label=INDICATOR_LABELS["teachers"],
        requirement="有满足培训需要的教师队伍",
        unit_types=ENTERPRISES,
        unit="人",
        # No number in the Measures: none fails, whether the team "meets the training's needs" is
        # the reviewer's judgement (never an invented threshold).
        minimum=1,
        judgement_when_met=True,
    ),
    _count_at_least("3.2.3", "annual_trainees", 1000, "年职业培训规模不少于1000人", ENTERPRISES),
    _count_at_least(
        "3.2.3",
        "annual_senior_trainees",
        250,
        "其中高级工及以上培训不少于250人",
        ENTERPRISES,
        part_of="annual_trainees",
    ),
    # 三（二）4 技能评价
    _declaration("3.2.4", "social_evaluation_capable", "能承担社会化职业技能评价工作", ENTERPRISES),
    _count_at_least("3.2.4", "annual_evaluations", 1000, "年评价规模不少于1000人", ENTERPRISES),
)

clause_titles: Final[Mapping[str, str]] = MappingProxyType(
    {
        "3.1.1": "管理能力与制度",
        "3.1.2": "场所设施与培训规模",
        "3.1.3": "师资队伍",
        "3.1.4": "校企合作",
        "3.1.5": "技能评价",
        "3.2.1": "企业类型与培训经费",
        "3.2.2": "管理制度",
        "3.2.3": "培训场所、师资与规模",
        "3.2.4": "技能评价",
    }
)

MEASURES_2022_47: Final = PolicyVersion(
    code="绍市人社发〔2022〕47号",
    title="绍兴市市级高技能人才公共实训基地建设项目实施办法（试行）",
    effective_date=date(2022, 9, 1),
    criteria=(*_INSTITUTION_CRITERIA_2022, *_ENTERPRISE_CRITERIA_2022),
    clause_titles=clause_titles,
)

# --- Registry ------------------------------------------------------------------------------------

# A revision is registered by adding its PolicyVersion here and, once in force, moving
# CURRENT_POLICY_CODE; applications keep the code they were judged under.
POLICIES: dict[str, PolicyVersion] = {policy.code: policy for policy in (MEASURES_2022_47,)}
CURRENT_POLICY_CODE: Final = MEASURES_2022_47.code


class UnknownPolicyError(LookupError):
    """Raised for a policy code that is not in ``POLICIES``."""


def get_policy(code: str | None = None) -> PolicyVersion:
    """Return the registered policy with ``code``, or the current one when ``code`` is None."""
    wanted = CURRENT_POLICY_CODE if code is None else code
    try:
        return POLICIES[wanted]
    except KeyError:
        raise UnknownPolicyError(f"未登记的政策文件：{wanted}") from None
