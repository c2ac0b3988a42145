"""Celery finds ``<app>.tasks``: the tasks of every review stage."""

from .screening.tasks import render_recommendation_letter_task

__all__ = ["render_recommendation_letter_task"]
