"""Admin pages of every review stage."""

from .decisions import admin as decisions_admin  # noqa: F401
from .panels import admin as panels_admin  # noqa: F401
from .publicity import admin as publicity_admin  # noqa: F401
from .screening import admin as screening_admin  # noqa: F401
