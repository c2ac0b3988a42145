"""Roles of DESIGN section 1 and the groups of them that share a scope."""

from django.db import models


class Role(models.TextChoices):
    APPLICANT = "applicant", "申报单位"
    COUNTY_HRSS = "county_hrss", "区县人力社保局"
    COUNTY_FINANCE = "county_finance", "区县财政局"
    CITY_HRSS = "city_hrss", "市人力社保局"
    CITY_FINANCE = "city_finance", "市财政局"
    EXPERT = "expert", "评审专家"
    ADMIN = "admin", "系统管理员"

    @classmethod
    def county_roles(cls) -> tuple[str, ...]:
        """Roles whose scope is one county: they must belong to a region."""
        return (cls.COUNTY_HRSS, cls.COUNTY_FINANCE)

    @classmethod
    def city_roles(cls) -> tuple[str, ...]:
        return (cls.CITY_HRSS, cls.CITY_FINANCE)

    @classmethod
    def staff_roles(cls) -> tuple[str, ...]:
        """Government staff: the county and city bureaus and the administrators.

        Not the audience of the audit trail: only city staff and administrators read it, since it
        spans every county (`audit.view_trail` in accounts/rules.py).
        """
        return (cls.COUNTY_HRSS, cls.COUNTY_FINANCE, cls.CITY_HRSS, cls.CITY_FINANCE, cls.ADMIN)
