"""Document numbers (发文字号), gap-free per prefix and year; the signed documents the portal issued."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class DocumentNumberSequence(models.Model):
    """The last number issued under one 发文机关代字 in one year (越人社〔2026〕N号, 绍市人社发〔2026〕N号).

    Numbers are taken by `documents.numbering.document_number_allocate` in the transaction of the
    action that issues the document, under a row lock: two issues at once get consecutive numbers, and
    an issue that rolls back gives its number back, so the sequence has no gaps.
    """

    prefix = models.CharField("发文机关代字", max_length=20)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已使用的最大序号", default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="one_sequence_per_prefix_and_year")
        ]
        verbose_name = "发文字号序列"
        verbose_name_plural = "发文字号序列"

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last}号"


def issued_path(instance: "IssuedDocument", filename: str) -> str:
    """A random name under the year in Shanghai; the file is private (MEDIA is never served)."""
    return f"issued/{timezone.localdate():%Y}/{uuid.uuid4().hex}.pdf"


class IssuedDocument(models.Model):
    """An official PDF the portal issued: signed by its bureau, archived as PDF/A-3b, checkable by anyone.

    Written only by ``documents.signing.document_issue``. The 校验码 (``verification_code``) is
    printed on the document and, with its number or title, lets anyone confirm at /verify/ that the
    portal issued it; the SHA-256 of the signed file tells an uploaded copy from an altered one.
    One document per (kind, related object): issuing again returns the first one.
    """

    kind = models.CharField("公文种类", max_length=40)
    title = models.CharField("标题", max_length=200)
    number = models.CharField("发文字号", max_length=60, blank=True)
    issuer = models.CharField("签发机关", max_length=100)
    signer = models.CharField("签名证书", max_length=40)
    signer_subject = models.CharField("证书主体", max_length=300)
    signer_fingerprint = models.CharField("证书指纹 SHA-256", max_length=64, db_index=True)
    issued_at = models.DateTimeField("签发时间")
    verification_code = models.CharField("校验码", max_length=12, unique=True)
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size = models.PositiveIntegerField("文件大小（字节）")
    timestamped = models.BooleanField("带可信时间戳", default=False)
    file = models.FileField("签名文件", upload_to=issued_path, max_length=200)
    content_type = models.ForeignKey(
        ContentType, verbose_name="业务对象类型", null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField("业务对象编号", null=True, blank=True)
    related = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                condition=models.Q(object_id__isnull=False),
                name="one_issued_document_per_kind_and_object",
            )
        ]
        verbose_name = "已签发公文"
        verbose_name_plural = "已签发公文"

    def __str__(self) -> str:
        return f"{self.number or self.title}（{self.issuer}）"

    @property
    def display_code(self) -> str:
        """The code as printed: three groups of four (ABCD-EFGH-JKLM)."""
        code = self.verification_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
