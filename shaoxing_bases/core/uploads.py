"""Evidence uploads: PDF, JPG and PNG only, recognised by their first bytes, never by their name."""

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# Signature → (content type, the extension we store it under).
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
ALLOWED_DESCRIPTION = "PDF、JPG、PNG"
#: The canonical extension of each content type we accept.
EXTENSIONS = {content_type: extension for _signature, content_type, extension in SIGNATURES}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str


def check_upload(uploaded) -> CheckedUpload:
    """Raise a Chinese ValidationError unless the file is a real PDF/JPG/PNG within the size limit."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size == 0:
        raise ValidationError("文件为空，请重新选择。", code="empty")
    if uploaded.size > limit:
        raise ValidationError(
            f"文件大小为{filesizeformat(uploaded.size)}，超过{filesizeformat(limit)}的上限，请压缩后再上传。",
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    recognised = next((entry for entry in SIGNATURES if head.startswith(entry[0])), None)
    if recognised is None:
        raise ValidationError(
            f"“{uploaded.name}”不是有效的{ALLOWED_DESCRIPTION}文件（系统按文件内容识别，修改扩展名无效）。",
            code="bad_type",
        )
    _signature, content_type, extension = recognised
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedUpload(
        content_type=content_type, extension=extension, size=uploaded.size, sha256=digest.hexdigest()
    )


def download_name(original_name: str, content_type: str) -> str:
    """The name a piece of evidence is served under: the uploader's name, with the extension of what
    the file really is, so that PDF bytes uploaded as "evil.html" download as "evil.pdf"."""
    stem = PurePosixPath(original_name.replace("\\", "/")).stem.strip() or "证明材料"
    return f"{stem}{EXTENSIONS.get(content_type, '')}"
