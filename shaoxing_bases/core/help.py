"""操作指南: one short public page per audience, saying what that role does in the portal."""

from shaoxing_bases.accounts.enums import Role

PUBLIC_AUDIENCE = "public"

#: URL slug → (heading, one-line summary), in the order of the workflow. The slugs are the role
#: values, plus "public" for visitors without an account.
GUIDES: dict[str, tuple[str, str]] = {
    Role.APPLICANT.value: (Role.APPLICANT.label, "注册单位、在线填报、提交、撤回修改，以及认定后的年度报告"),
    Role.COUNTY_HRSS.value: (Role.COUNTY_HRSS.label, "区县初审、编制推荐名单并报送市人力社保局"),
    Role.COUNTY_FINANCE.value: (Role.COUNTY_FINANCE.label, "会签本区县推荐名单，登记属地经费支持"),
    Role.CITY_HRSS.value: (Role.CITY_HRSS.label, "管理申报批次、汇总各区县推荐、组织评审、公示和认定"),
    Role.CITY_FINANCE.value: (Role.CITY_FINANCE.label, "会同市人力社保局组织评审，查看全市申报和经费情况"),
    Role.EXPERT.value: (Role.EXPERT.label, "回避声明和在线评分"),
    PUBLIC_AUDIENCE: ("社会公众", "查看政策文件、公示名单和已认定基地，公示期内提出异议"),
}


def guide_template(audience: str) -> str:
    return f"core/help/{audience}.html"
