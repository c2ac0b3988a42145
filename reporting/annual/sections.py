"""The report form's sections: which fields each page holds and which clause it answers.

One list read by the form pages, the service that saves a section, the review page, the Excel export
and the archive PDF, so that a field added to the model is added here once.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    clause: str  # 条款 tag as the Measures print it
    fields: tuple[str, ...]
    intro: str = ""


SECTIONS: tuple[Section, ...] = (
    Section(
        "functions",
        "一、年度工作开展情况",
        "二",
        (
            "trainees_total",
            "trainees_senior_worker",
            "trainees_technician",
            "trainees_senior_technician",
            "evaluations",
            "competitions_held",
            "competition_participants",
            "courses_developed",
            "materials_developed",
            "exchanges_held",
            "work_summary",
        ),
        "按《实施办法》二“功能定位”：技能研修和提升培训（高级工、技师、高级技师）、考核与评价、"
        "职业技能竞赛、课程开发、成果交流展示。人数按本年度1月1日至填报日实际完成数填写。",
    ),
    Section(
        "trainings",
        "二、承办专项培训情况",
        "五（二）",
        ("trained_teachers", "trained_managers", "trained_assessors", "trained_supervisors"),
        "按《实施办法》五（二）：在基地开展的师资培训、职业培训管理人员培训、考评人员和质量督导人员业务培训。",
    ),
    Section(
        "funds",
        "三、资金使用情况",
        "五（一）",
        (
            "funds_received",
            "funds_equipment",
            "funds_infrastructure",
            "funds_teacher_training",
            "funds_other",
        ),
        "按用途填写本年度实际使用的扶持资金（元）。到位资金为选填；使用合计超过到位资金时系统会提示核对，但不影响提交。",
    ),
    Section("problems", "四、存在问题", "六（二）", ("problems",)),
    Section(
        "plan",
        "五、下一年度工作计划",
        "六（三）",
        (
            "plan_summary",
            "target_trainees",
            "target_senior_trainees",
            "target_evaluations",
            "target_competitions",
            "target_courses",
        ),
    ),
)

SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
ALL_FIELDS: tuple[str, ...] = tuple(name for section in SECTIONS for name in section.fields)
