"""The menu each role sees. Later features add their entries here, next to their role."""

from dataclasses import dataclass

from django.urls import reverse

from shaoxing_bases.accounts.enums import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ALL_ROLES = tuple(Role.values)
GOVERNMENT = (*Role.county_roles(), *Role.city_roles(), Role.ADMIN)
CITY = (*Role.city_roles(), Role.ADMIN)

NAV_ITEMS = (
    NavItem("工作台", "core:dashboard", ALL_ROLES),
    NavItem("我的申报", "applications:my_applications", (Role.APPLICANT,)),
    NavItem("单位信息", "applications:unit_profile", (Role.APPLICANT,)),
    NavItem("申报批次", "applications:batch_list", CITY),
    NavItem("区县初审", "review:queue", (Role.COUNTY_HRSS,)),
    NavItem("推荐名单", "review:recommendations", (Role.COUNTY_HRSS,)),
    NavItem("推荐名单会签", "review:recommendations", (Role.COUNTY_FINANCE,)),
    NavItem("各区县推荐情况", "review:city_overview", CITY),
    NavItem("申报单位", "applications:unit_list", GOVERNMENT),
    NavItem("站内消息", "notifications:inbox", ALL_ROLES),
    NavItem("审计日志", "audit:trail", CITY),
)


def navigation_for(user) -> list[NavItem]:
    return [item for item in NAV_ITEMS if user.role in item.roles]
