"""Excel in and out for the expert review (django-import-export): the expert pool (import and
export), and the score sheets and ranking of a panel (export)."""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from applications.resources import CreditCodeWidget, RegionWidget, ShanghaiDateTimeWidget, YesNoWidget
from shaoxing_bases.accounts.selectors import expert_accounts
from shaoxing_bases.masking import mask_phone

from .models import Expert, ScoreSheet


class YesNoImportWidget(YesNoWidget):
    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if text in ("", "是", "1", "True", "true"):
            return True
        if text in ("否", "0", "False", "false"):
            return False
        raise ValueError(f"“{text}”应填写“是”或“否”。")


class ExpertAccountWidget(widgets.ForeignKeyWidget):
    """登录账号 by username; only active expert accounts."""

    def __init__(self, **kwargs):
        super().__init__(expert_accounts().model, field="username", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        account = expert_accounts().filter(username=text).first()
        if account is None:
            raise ValueError(f"未找到评审专家账号“{text}”。")
        return account


class ExpertResource(resources.ModelResource):
    """专家库 columns, in Chinese; a row whose 姓名 and 工作单位 match an existing expert updates it."""

    name = fields.Field("name", "姓名", widget=widgets.CharWidget(allow_blank=True))
    employer = fields.Field("employer", "工作单位", widget=widgets.CharWidget(allow_blank=True))
    employer_credit_code = fields.Field(
        "employer_credit_code", "工作单位统一社会信用代码", widget=CreditCodeWidget()
    )
    title = fields.Field("title", "职称/职业资格", widget=widgets.CharWidget(allow_blank=True))
    specialties = fields.Field("specialties", "专业领域", widget=widgets.CharWidget(allow_blank=True))
    region = fields.Field("region", "所在区县", widget=RegionWidget())
    phone = fields.Field("phone", "手机号码", widget=widgets.CharWidget(allow_blank=True))
    active = fields.Field("active", "在库", widget=YesNoImportWidget())
    user = fields.Field("user", "登录账号", widget=ExpertAccountWidget())

    class Meta:
        model = Expert
        fields = (
            "name",
            "employer",
            "employer_credit_code",
            "title",
            "specialties",
            "region",
            "phone",
            "active",
            "user",
        )
        import_id_fields = ("name", "employer")
        clean_model_instances = True
        skip_unchanged = True

    def __init__(self, *, mask_phones: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.mask_phones = mask_phones

    def dehydrate_phone(self, expert: Expert) -> str:
        return mask_phone(expert.phone) if self.mask_phones else expert.phone

    def before_save_instance(self, instance, row, **kwargs):
        instance.specialties = "、".join(instance.specialty_list)
        if (
            instance.user_id
            and Expert.objects.filter(user_id=instance.user_id).exclude(pk=instance.pk).exists()
        ):
            raise ValidationError({"user": "该账号已关联其他专家。"})


class ScoreSheetResource(resources.ModelResource):
    """评分表: one row per sheet, each indicator's points in its own column (added per panel)."""

    unit = fields.Field("application__unit__name", "申报单位")
    credit_code = fields.Field("application__unit__credit_code", "统一社会信用代码")
    expert = fields.Field("member__expert__name", "评审专家")
    state = fields.Field("state", "状态")
    total = fields.Field("total", "总分", widget=widgets.DecimalWidget())
    vote = fields.Field("vote", "表决意见")
    comment = fields.Field("comment", "评审意见")
    submitted_at = fields.Field("submitted_at", "提交时间", widget=ShanghaiDateTimeWidget())
    recusal = fields.Field("recusal_reason", "回避情形")

    class Meta:
        model = ScoreSheet
        fields = (
            "unit",
            "credit_code",
            "expert",
            "state",
            "total",
            "vote",
            "comment",
            "submitted_at",
            "recusal",
        )

    def __init__(self, *, indicators=(), **kwargs):
        super().__init__(**kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            field = fields.Field(attribute=None, column_name=f"{indicator.name}（{indicator.max_points}分）")
            field.indicator_id = indicator.pk  # type: ignore[attr-defined]
            self.fields[f"indicator_{indicator.pk}"] = field

    def export_field(self, field, instance, **kwargs):
        indicator_id = getattr(field, "indicator_id", None)
        if indicator_id is not None:
            points = {score.indicator_id: score.points for score in instance.scores.all()}
            return points.get(indicator_id)
        return super().export_field(field, instance, **kwargs)

    def dehydrate_state(self, sheet: ScoreSheet) -> str:
        return sheet.get_state_display()

    def dehydrate_vote(self, sheet: ScoreSheet) -> str:
        return sheet.get_vote_display() if sheet.vote else ""

    def dehydrate_recusal(self, sheet: ScoreSheet) -> str:
        return sheet.get_recusal_reason_display() if sheet.recusal_reason else ""
