"""The two ways to check a document at /verify/: upload the PDF, or type its number and 校验码."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from shaoxing_bases.validators import validate_single_line_text


class VerifyPdfForm(forms.Form):
    document = forms.FileField(
        label="公文 PDF 文件",
        help_text="请上传收到或下载的 PDF 原件；文件只用于本次核验，不会保存。",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": "application/pdf,.pdf"}),
        error_messages={"required": "请选择要核验的 PDF 文件。", "empty": "文件为空，请重新选择。"},
    )

    def clean_document(self) -> bytes:
        """The file's bytes, once it is known to be a PDF within the size limit (by its content)."""
        uploaded = self.cleaned_data["document"]
        limit = settings.DOCUMENT_VERIFY_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                f"文件大小为{filesizeformat(uploaded.size)}，超过{filesizeformat(limit)}的上限，"
                "本平台签发的公文不会这么大。",
                code="too_large",
            )
        uploaded.seek(0)
        data = uploaded.read(limit + 1)
        if not data.startswith(b"%PDF"):
            raise forms.ValidationError(
                "这不是 PDF 文件（系统按文件内容识别，修改扩展名无效），请上传公文的 PDF 原件。",
                code="bad_type",
            )
        return data


class VerifyCodeForm(forms.Form):
    reference = forms.CharField(
        label="文号或标题",
        max_length=200,
        help_text="例如 绍市人社发〔2026〕5号；没有文号的公文（如公示）填写标题。",
        validators=[validate_single_line_text],
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        error_messages={"required": "请填写文号或标题。", "max_length": "文号或标题不超过200个字。"},
    )
    code = forms.CharField(
        label="校验码",
        max_length=30,
        help_text="印在公文首页右上角，12位字母和数字，例如 ABCD-EFGH-JKLM。",
        validators=[validate_single_line_text],
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "请填写校验码。", "max_length": "校验码为12位字母和数字。"},
    )
