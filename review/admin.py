"""Admin pages of every review stage."""

from .screening import admin as screening_admin  # noqa: F401
