"""Reads of issued documents that the stages' pages reuse."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import IssuedDocument


def issued_document_for(kind: str, related: models.Model) -> IssuedDocument | None:
    """The document of ``kind`` issued for ``related`` (e.g. a list's 推荐函), if it has been issued."""
    return IssuedDocument.objects.filter(
        kind=kind, content_type=ContentType.objects.get_for_model(related), object_id=related.pk
    ).first()
