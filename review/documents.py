"""The documents each review stage issues, found by ``render_samples`` (``<app>.documents``)."""

from .panels import documents as panels_documents  # noqa: F401
from .screening import documents as screening_documents  # noqa: F401
