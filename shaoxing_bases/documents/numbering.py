"""Allocating 发文字号: gap-free per prefix and year, safe under concurrency."""

from django.db import IntegrityError, transaction

from .gbt9704 import format_doc_number
from .models import DocumentNumberSequence


def document_number_allocate(*, prefix: str, year: int) -> str:
    """The next number under `prefix` in `year`, e.g. "越人社〔2026〕3号".

    Must run inside the transaction of the issuing action (it raises otherwise): the number is taken
    under a row lock and only kept if that action commits, so the sequence never skips a number and
    never gives one twice.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a document number is allocated inside the issuing action's transaction")
    prefix = prefix.strip()
    try:
        with transaction.atomic():  # savepoint: a concurrent first number of the year may win the insert
            DocumentNumberSequence.objects.get_or_create(prefix=prefix, year=year)
    except IntegrityError:
        pass
    sequence = DocumentNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return format_doc_number(prefix, year, sequence.last)
