"""The documents each review stage issues, found by ``render_samples`` (``<app>.documents``)."""

from .screening import documents as screening_documents  # noqa: F401
