"""Celery finds ``<app>.tasks``: the tasks of every review stage."""

from .decisions.tasks import render_approval_letter_task, render_decision_notice_task
from .screening.tasks import render_recommendation_letter_task

__all__ = [
    "render_approval_letter_task",
    "render_decision_notice_task",
    "render_recommendation_letter_task",
]
