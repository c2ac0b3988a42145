"""Celery settings that decide what happens to a message when a worker dies (DESIGN §8)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from shaoxing_bases.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
OUR_CODE = ("shaoxing_bases", "applications", "review", "reporting")


def _our_tasks():
    celery_app.loader.import_default_modules()
    return [task for name, task in sorted(celery_app.tasks.items()) if not name.startswith("celery.")]


def _longest_backoff(task) -> float:
    """The longest countdown the task's autoretry can choose (Celery doubles it per retry)."""
    if not getattr(task, "autoretry_for", ()) or not getattr(task, "retry_backoff", False):
        return 0
    factor = int(max(1.0, float(task.retry_backoff)))
    maximum = getattr(task, "retry_backoff_max", None) or 600  # Celery's default when unset
    return min(maximum, factor * 2 ** max(0, (task.max_retries or 0) - 1))


def test_every_task_fits_the_time_limit_the_visibility_timeout_is_sized_for():
    tasks = _our_tasks()
    assert {"core.sweep_deadlines", "notifications.send_email"} <= {task.name for task in tasks}
    for task in tasks:
        assert (task.time_limit or settings.CELERY_TASK_TIME_LIMIT) <= settings.CELERY_TASK_TIME_LIMIT
        assert task.acks_late, task.name
        assert _longest_backoff(task) <= settings.TASK_MAX_COUNTDOWN, task.name


def test_visibility_timeout_covers_the_longest_task_and_is_minutes_not_an_hour():
    timeout = settings.BROKER_VISIBILITY_TIMEOUT
    # A message stays unacknowledged for its countdown plus its run: redelivering earlier would run
    # a task that is still running a second time.
    assert timeout > settings.TASK_MAX_COUNTDOWN + settings.CELERY_TASK_TIME_LIMIT
    # A worker killed mid-task gets its message back within minutes (it was 3600 s).
    assert timeout <= 600
    assert settings.TASK_MAX_COUNTDOWN <= 300  # DESIGN §8
    if settings.REDIS_URL:
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == timeout
        assert celery_app.conf.broker_transport_options["visibility_timeout"] == timeout


def _scheduling_keywords(tree: ast.AST):
    """(line, keyword, value source) of every countdown=/eta= passed to a Celery scheduling call."""
    calls = {"apply_async", "retry", "set", "signature", "s", "si"}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in calls:
            continue
        for keyword in node.keywords:
            if keyword.arg in {"countdown", "eta"}:
                yield node.lineno, keyword.arg, keyword.value


def test_no_code_schedules_a_countdown_or_eta_beyond_the_limit():
    """Redis redelivers a message held longer than the visibility timeout: a literal countdown must not
    exceed TASK_MAX_COUNTDOWN, anything computed must name it, and eta is not used at all."""
    offenders = []
    for package in OUR_CODE:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for line, keyword, value in _scheduling_keywords(tree):
                if keyword == "countdown":
                    if isinstance(value, ast.Constant) and value.value <= settings.TASK_MAX_COUNTDOWN:
                        continue
                    if "TASK_MAX_COUNTDOWN" in ast.unparse(value):
                        continue
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {keyword}={ast.unparse(value)}")
    assert offenders == []


def test_the_scan_finds_a_long_countdown():
    source = "task.apply_async(countdown=3600)\nself.retry(countdown=settings.CELERY_TASK_TIME_LIMIT)"
    tree = ast.parse(source)
    assert [(line, keyword) for line, keyword, _value in _scheduling_keywords(tree)] == [
        (1, "countdown"),
        (2, "countdown"),
    ]


@pytest.mark.parametrize(
    "name", ["worker_prefetch_multiplier", "task_acks_late", "task_reject_on_worker_lost"]
)
def test_worker_settings_that_make_redelivery_safe(name):
    expected = {"worker_prefetch_multiplier": 1, "task_acks_late": True, "task_reject_on_worker_lost": True}
    assert celery_app.conf[name] == expected[name]
