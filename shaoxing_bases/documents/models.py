"""Document numbers (发文字号): one sequence per issuing prefix and year, gap-free."""

from django.db import models


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
