"""Users, their roles and the six county-level divisions of Shaoxing."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from shaoxing_bases.validators import validate_phone, validate_single_line_text

from .enums import Role


class Region(models.Model):
    """A county-level division (区、县（市）) of Shaoxing, keyed by its 行政区划代码."""

    code = models.CharField("行政区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=20, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    # What the county's HRSS bureau prints on its letters (推荐函): set by its own staff.
    doc_prefix = models.CharField(
        "发文机关代字",
        max_length=20,
        blank=True,
        validators=[validate_single_line_text],
        help_text="区县人力社保局发文字号中的机关代字，如“越人社”，发文字号为“越人社〔2026〕3号”。",
    )
    contact_name = models.CharField(
        "联系人",
        max_length=50,
        blank=True,
        validators=[validate_single_line_text],
        help_text="推荐函上的联系人。",
    )
    contact_phone = models.CharField(
        "联系电话", max_length=30, blank=True, validators=[validate_single_line_text, validate_phone]
    )

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = "区县"
        verbose_name_plural = "区县"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. County staff belong to one region; applicants to one unit."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.APPLICANT)
    region = models.ForeignKey(
        Region,
        verbose_name="所属区县",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="区县人力社保局、区县财政局工作人员必填。",
    )
    unit = models.ForeignKey(
        "applications.ApplicantUnit",
        verbose_name="所属申报单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="申报单位账号必填。",
    )
    display_name = models.CharField("姓名", max_length=50, blank=True, validators=[validate_single_line_text])
    phone = models.CharField("手机号码", max_length=20, blank=True)
    # Subject identifier from 浙江政务服务网 single sign-on, once the account has been linked.
    sso_subject = models.CharField("政务服务网用户标识", max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in Role.county_roles() and self.region_id is None:
            raise ValidationError({"region": "区县工作人员必须选择所属区县。"})
        if self.role not in Role.county_roles() and self.region_id is not None:
            raise ValidationError({"region": "只有区县工作人员才隶属于区县。"})
        if self.role != Role.APPLICANT and self.unit_id is not None:
            raise ValidationError({"unit": "只有申报单位账号才隶属于申报单位。"})

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def header_label(self) -> str:
        """Who is signed in, the role said once: "王建国（评审专家）", "赵海峰（区县人力社保局 · 越城区）".

        A display name that already ends with the role ("王建国（评审专家）", "系统管理员") does not
        repeat it.
        """
        role = self.role_label
        name = str(self)
        for suffix in (f"（{role}）", f"({role})", role):
            if name.endswith(suffix):
                name = name.removesuffix(suffix).strip()
                break
        detail = f"{role} · {self.region}" if self.region_id else role
        return f"{name}（{detail}）" if name else detail
