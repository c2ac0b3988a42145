"""Demo accounts: one per role, and one per county for the county roles. Published in README."""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .enums import Role
from .models import Region, User
from .regions import ensure_shaoxing_counties

DEMO_PASSWORD = "Shaoxing@2026"  # noqa: S105 - published in README for the demo accounts

# Pinyin of each county for the demo usernames, by 行政区划代码.
COUNTY_SLUGS = {
    "330602": "yuecheng",
    "330603": "keqiao",
    "330604": "shangyu",
    "330624": "xinchang",
    "330681": "zhuji",
    "330683": "shengzhou",
}


# Display names are people's names: the header adds the role and county itself
# ("王建国（评审专家）", "赵海峰（区县人力社保局 · 越城区）").
COUNTY_STAFF_NAMES = {
    "330602": ("赵海峰", "孙丽华"),
    "330603": ("钱国平", "周雅琴"),
    "330604": ("吴建明", "郑晓红"),
    "330624": ("冯志刚", "褚美玲"),
    "330681": ("蒋立新", "沈文静"),
    "330683": ("韩晓东", "杨慧敏"),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    region_code: str | None = None
    site_admin: bool = False  # may open the Django admin


def demo_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount("admin", Role.ADMIN, "周敏", site_admin=True),
        DemoAccount("city_hrss", Role.CITY_HRSS, "张伟"),
        DemoAccount("city_finance", Role.CITY_FINANCE, "刘洋"),
        DemoAccount("expert1", Role.EXPERT, "王建国"),
        DemoAccount("expert2", Role.EXPERT, "李秀英"),
        DemoAccount("expert3", Role.EXPERT, "陈志强"),
        # The rest of the demo's expert pool (专家库, review/panels/demo.py), so that draws have a pool.
        *(
            DemoAccount(f"expert{number}", Role.EXPERT, name)
            for number, name in enumerate(
                ("赵红梅", "孙立新", "周海涛", "吴雅琴", "郑国平", "冯晓东", "何丽华", "蒋文斌", "韩美玲"),
                start=4,
            )
        ),
    ]
    for region in Region.objects.all():
        slug = COUNTY_SLUGS.get(region.code, region.code)
        hrss_name, finance_name = COUNTY_STAFF_NAMES.get(
            region.code, ("人力社保局工作人员", "财政局工作人员")
        )
        accounts += [
            DemoAccount(f"{slug}_hrss", Role.COUNTY_HRSS, hrss_name, region.code),
            DemoAccount(f"{slug}_finance", Role.COUNTY_FINANCE, finance_name, region.code),
        ]
    return accounts


@cache
def demo_password_hash() -> str:
    """The demo password hashed once (PBKDF2 takes a quarter of a second per hash): every demo account
    gets this same hash, which is as good as its own for a password published in the README."""
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def seed_demo_accounts() -> list[DemoAccount]:
    """Create or refresh every demo account with the demo password. Running twice changes nothing."""
    ensure_shaoxing_counties()
    regions = {region.code: region for region in Region.objects.all()}
    accounts = demo_accounts()
    for account in accounts:
        user, _created = User.objects.update_or_create(
            username=account.username,
            defaults={
                "role": account.role,
                "display_name": account.display_name,
                "region": regions.get(account.region_code) if account.region_code else None,
                "email": f"{account.username}@demo.sx.example.cn",
                "is_staff": account.site_admin,
                "is_superuser": account.site_admin,
                "is_active": True,
            },
        )
        if user.password != demo_password_hash():
            User.objects.filter(pk=user.pk).update(password=demo_password_hash())
    return accounts
