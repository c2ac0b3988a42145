"""Shaoxing training-base portal (绍兴市市级高技能人才公共实训基地申报与管理平台)."""

# Importing the Celery app here makes @shared_task bind to it whenever Django starts.
from .celery import app as celery_app

__all__ = ("celery_app",)
