"""The menu: each entry shows for the users who hold its permission (asked without an object)."""

from dataclasses import dataclass

from django.urls import reverse

from shaoxing_bases.permissions import ask


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS = (
    NavItem("工作台", "core:dashboard", "core.view_dashboard"),
    NavItem("我的申报", "applications:my_applications", "applications.view_own_applications"),
    NavItem("单位信息", "applications:unit_profile", "applications.manage_unit"),
    NavItem("申报批次", "applications:batch_list", "applications.view_batches"),
    NavItem("区县初审", "review:queue", "review.screen_application"),
    NavItem("推荐名单", "review:recommendations", "review.compile_recommendation"),
    NavItem("财政意见", "review:finance_queue", "review.give_finance_opinion"),
    NavItem("推荐名单会签", "review:recommendations", "review.cosign_recommendation"),
    NavItem("各区县推荐情况", "review:city_overview", "review.view_city_overview"),
    NavItem("我的评审", "review:my_sheets", "review.list_own_sheets"),
    NavItem("专家评审", "review:panel_list", "review.view_panel"),
    NavItem("专家库", "review:expert_list", "review.view_experts"),
    NavItem("公示与异议", "review:publicity_list", "review.view_publicity"),
    NavItem("异议复核", "review:my_objections", "review.list_own_objections"),
    NavItem("认定发文", "review:decision_list", "review.view_decisions"),
    NavItem("申报单位", "applications:unit_list", "applications.list_units"),
    NavItem("区县设置", "review:county_settings", "review.manage_county_settings"),
    NavItem("实训基地", "bases:list", "reporting.list_bases"),
    NavItem("经费支持", "bases:funding", "reporting.view_funding"),
    NavItem("我的基地", "bases:mine", "reporting.view_own_bases"),
    NavItem("年度报告", "annual_reports:my_reports", "reporting.view_own_annual_reports"),
    NavItem("年度报告审核", "annual_reports:county_queue", "reporting.review_annual_report"),
    NavItem("各区县年度报告", "annual_reports:city_overview", "reporting.view_annual_overview"),
    NavItem("站内消息", "notifications:inbox", "notifications.view_inbox"),
    NavItem("审计日志", "audit:trail", "audit.view_trail"),
    NavItem("账号解锁", "accounts:lockouts", "accounts.unlock_accounts"),
)


def navigation_for(user) -> list[NavItem]:
    return [item for item in NAV_ITEMS if ask(item.perm, user, layer="template")]
