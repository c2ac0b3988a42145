from django import forms

from shaoxing_bases.validators import validate_single_line_text

from .models import AuditAction


class TrailFilterForm(forms.Form):
    """The trail's filters. A username with a control character is refused here (400 with the reason)
    rather than reaching the database, which cannot store or compare NUL."""

    action = forms.ChoiceField(label="操作", choices=[("", "全部"), *AuditAction.choices], required=False)
    username = forms.CharField(
        label="用户名", max_length=150, required=False, validators=[validate_single_line_text]
    )
