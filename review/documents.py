"""The documents each review stage issues, found by ``render_samples`` (``<app>.documents``)."""

from .decisions import documents as decisions_documents  # noqa: F401
from .panels import documents as panels_documents  # noqa: F401
from .publicity import documents as publicity_documents  # noqa: F401
from .screening import documents as screening_documents  # noqa: F401
