"""Publicity (公示) and objections (异议), clause 4.3. ``review.publicity.window`` is stable API."""

from .calendar import window

__all__ = ["window"]
