"""The default wording of the decision, taken from the Measures (绍市人社发〔2022〕47号) themselves."""

from datetime import date

from applications.models import Batch

HRSS_BUREAU = "绍兴市人力资源和社会保障局"
FINANCE_BUREAU = "绍兴市财政局"
ISSUERS = (HRSS_BUREAU, FINANCE_BUREAU)
NUMBER_PREFIX = "绍市人社发"
LETTER_PREFIX = "绍市人社函"
RECIPIENT = "各区、县（市）人力资源和社会保障局、财政局，各有关单位："
CC = ("浙江省人力资源和社会保障厅", "浙江省财政厅")
PRINTER = "绍兴市人力资源和社会保障局办公室"
MEASURES = "《绍兴市市级高技能人才公共实训基地建设项目实施办法（试行）》（绍市人社发〔2022〕47号）"


def default_title(batch: Batch) -> str:
    return f"{HRSS_BUREAU} {FINANCE_BUREAU}关于公布{batch.year}年度绍兴市市级高技能人才公共实训基地名单的通知"


def attachment_title(batch: Batch) -> str:
    return f"{batch.year}年度绍兴市市级高技能人才公共实训基地名单"


def default_body(batch: Batch) -> str:
    """Paragraphs separated by blank lines; quoting clauses 四、四（三）、五（一）and 六（二）（三）."""
    return "\n\n".join(
        [
            f"根据{MEASURES}规定，经各区、县（市）人力资源社会保障部门会同财政部门初审推荐，市人力社保局会同"
            "市财政局组织相关专家评审，并将评审结果向社会公示，公示期满，公示期间无异议或者异议经复核不成立，"
            f"现确定附件所列单位为{batch.year}年度绍兴市市级高技能人才公共实训基地建设项目。",
            "各实训基地要突出公共实训和高技能评价核心功能，面向企业、学校和社会开展技能研修、技能提升培训，"
            "承担高技能人才考核与评价、职业技能竞赛、高技能培训和研修课程开发、高技能成果交流展示等工作。",
            "属地财政对实训基地给予一定经费支持，主要用于实训设备的购置改造与维护、培训基础设施完善、师资培训等。"
            "各区、县（市）人力社保部门、财政部门要加强对实训基地的指导和管理，定期开展考核和评估，对未达标的实行退出机制。",
            "实训基地每年12月要将当年工作开展情况及第二年工作计划经属地人力社保部门审核后报市人力社保局。",
        ]
    )


def paragraphs(body: str) -> list[str]:
    """The body as paragraphs: blank lines (or single line breaks) separate them."""
    return [line.strip() for line in body.replace("\r\n", "\n").split("\n") if line.strip()]


def letter_title(batch: Batch) -> list[str]:
    return ["关于认定市级高技能人才", "公共实训基地的通知"]


def is_plausible_date(value: date, today: date) -> bool:
    return abs((value - today).days) <= 60
