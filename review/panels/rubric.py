"""The default 100-point rubric (评分细则), built from the clause map (DESIGN sections 2 and 6).

Each indicator names the clauses it scores, the guidance the experts read beside it, and the
evidence (attachment sections of the application form) shown next to it on the scoring page. The
training-scale indicators break ties in the ranking (DESIGN §6). City HRSS edits a batch's copy
before scoring opens.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DefaultIndicator:
    key: str
    name: str
    clauses: str
    max_points: Decimal
    guidance: str
    evidence_sections: tuple[str, ...]
    training_scale: bool = False


DEFAULT_RUBRIC: tuple[DefaultIndicator, ...] = (
    DefaultIndicator(
        "management",
        "管理体系与制度建设",
        "3.1.1、3.2.2",
        Decimal(10),
        "机构设置合理、岗位职责明确；培训、财务、资产、风险管理制度健全并有效执行；无违规违纪记录。",
        ("organisation", "training_rules", "finance_rules", "asset_rules", "risk_rules"),
    ),
    DefaultIndicator(
        "premises",
        "场所设施与实训装备",
        "3.1.2、3.2.3",
        Decimal(15),
        "场所和设施设备符合国家建设和安全标准；实训装备与3—5个紧缺特色专业相匹配，设备先进、数量充足。",
        ("premises", "equipment"),
    ),
    DefaultIndicator(
        "training_scale",
        "年职业培训规模",
        "3.1.2、3.2.3",
        Decimal(20),
        "院校、培训机构年培训不少于1500人，企业不少于1000人；规模越大、面向社会程度越高得分越高。",
        ("training",),
        training_scale=True,
    ),
    DefaultIndicator(
        "senior_training",
        "高级工及以上培训",
        "3.1.2、3.2.3",
        Decimal(10),
        "院校、培训机构高级工及以上年培训不少于400人，企业不少于250人；培养技师、高级技师情况。",
        ("training",),
        training_scale=True,
    ),
    DefaultIndicator(
        "teachers",
        "师资队伍建设",
        "3.1.3、3.2.3",
        Decimal(15),
        "师资培养规划科学；师生比1:16—1:20；高级实习指导教师和高级技师教师占实训教师40%以上；企业兼职教师情况。",
        ("teachers",),
    ),
    DefaultIndicator(
        "partners",
        "校企合作与企业参与",
        "3.1.4、3.2.1",
        Decimal(10),
        "与20家以上企业稳定合作、共同确定专业与课程；企业职工培训经费连续3年足额提取并用于一线职工。",
        ("partner_agreement", "funds"),
    ),
    DefaultIndicator(
        "evaluation",
        "技能评价规模",
        "3.1.5、3.2.4",
        Decimal(10),
        "院校、培训机构年评价不少于1500人，企业不少于1000人；评价质量与社会认可度。",
        ("training",),
    ),
    DefaultIndicator(
        "industry_fit",
        "产业契合与建设方案",
        "1、2、3.2.1",
        Decimal(10),
        "服务支柱产业、新兴产业和传统优势产业的程度；基地功能定位、建设目标和资金使用计划的可行性。",
        ("equipment", "other"),
    ),
)

assert sum(item.max_points for item in DEFAULT_RUBRIC) == Decimal(100)  # noqa: S101 - a data check at import
