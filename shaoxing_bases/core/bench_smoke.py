"""`make bench-smoke`: the benchmark's pages at two data sizes, failing only on what grows with data.

Every registered benchmark page (`core.benchmarking.register_targets`) is requested at a small and at
a larger dataset (`seed_scale` at two factors). The check fails when

* a page answers with another status than it should (a 500 from an N+1 caught by django-zeal in the
  test settings included),
* its query count at the larger size exceeds the one at the smaller size by more than
  ``QUERY_SLACK`` (a list page's count is fixed; one query per row is what grows), or
* it shows more rows at the larger size than at the smaller one and more than ``ROW_CAP`` (a page that
  paginates never shows more than a page: the longest page size in the portal is 50).

Wall-clock time is never compared: CI machines differ, query counts and row counts do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from .benchmarking import LOGIN_BACKEND, Target, bench_urlconf, registered_targets

#: Prefetches are skipped on an empty result, so a page may legitimately gain a query or two between
#: sizes (a section that appears once it has rows); one query per row exceeds this at once.
QUERY_SLACK = 2
#: The longest page in the portal (the audit trail's 50) plus its header rows.
ROW_CAP = 60
ROW_PATTERN = re.compile(rb"<tr[\s>]|class=\"[^\"]*\blist-group-item\b")


@dataclass(frozen=True)
class PageMeasure:
    label: str
    path: str
    identity: str
    status: int
    expected_status: int
    queries: int
    rows: int


def count_rows(content: bytes) -> int:
    """Table rows and list items in a page: what grows when a page stops paginating."""
    return len(ROW_PATTERN.findall(content))


def measure_pages(targets: Iterable[Target] | None = None) -> dict[tuple[str, str], PageMeasure]:
    """One signed-in (or anonymous) GET of each target: its status, queries and rows."""
    targets = list(registered_targets() if targets is None else targets)
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in={t.username for t in targets if t.username}, is_active=True
        )
    }
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    results: dict[tuple[str, str], PageMeasure] = {}
    # The bench's URLconf: the project's pages and the bare views measured beside them.
    with override_settings(ALLOWED_HOSTS=hosts, ROOT_URLCONF=bench_urlconf(settings.ROOT_URLCONF)):
        for target in targets:
            # A page that raises answers 500 here (and is reported) instead of stopping the smoke.
            client = Client(raise_request_exception=False)
            if target.username:
                user = users.get(target.username)
                if user is None:
                    results[(target.label, target.identity)] = PageMeasure(
                        target.label, target.path, target.identity, 0, target.expected_status, 0, 0
                    )
                    continue
                client.force_login(user, backend=LOGIN_BACKEND)
            path = target.path
            client.get(path)  # warm: first-request caches (permissions, templates) are not the page's
            with CaptureQueriesContext(connection) as context:
                response = client.get(path)
            status, content = response.status_code, response.content
            results[(target.label, target.identity)] = PageMeasure(
                target.label,
                path,
                target.identity,
                status,
                target.expected_status,
                len(context.captured_queries),
                count_rows(content),
            )
    return results


def smoke_problems(
    small: dict[tuple[str, str], PageMeasure],
    large: dict[tuple[str, str], PageMeasure],
    *,
    query_slack: int = QUERY_SLACK,
    row_cap: int = ROW_CAP,
) -> list[str]:
    """What grew with the data between ``small`` and ``large`` (Chinese, one line each)."""
    problems = []
    for key, after in large.items():
        before = small.get(key)
        name = f"{after.label}（{after.path}，{after.identity}）"
        for measure in (before, after):
            if measure is not None and measure.status != measure.expected_status:
                problems.append(f"{name}：返回 {measure.status}，应为 {measure.expected_status}")
                break
        else:
            if before is None:
                continue
            if after.queries > before.queries + query_slack:
                problems.append(
                    f"{name}：查询数随数据增长（{before.queries} → {after.queries}），可能存在 N+1 查询"
                )
            if after.rows > max(before.rows, row_cap):
                problems.append(
                    f"{name}：显示的行数随数据增长（{before.rows} → {after.rows}，"
                    f"超过 {row_cap}），页面没有分页"
                )
    return problems


def smoke_table(small: dict, large: dict) -> str:
    lines = [
        "| 页面 | 身份 | 查询（小） | 查询（大） | 行数（小） | 行数（大） |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for key, after in large.items():
        before = small.get(key)
        lines.append(
            f"| {after.label} | {after.identity} | {before.queries if before else '–'} | {after.queries} "
            f"| {before.rows if before else '–'} | {after.rows} |"
        )
    return "\n".join(lines)


def run_smoke(
    grow: Callable[[float], None], small_factor: float, large_factor: float
) -> tuple[dict, dict, list[str]]:
    """Seed to ``small_factor`` with ``grow``, measure, grow to ``large_factor``, measure, compare."""
    grow(small_factor)
    small = measure_pages()
    grow(large_factor)
    large = measure_pages()
    return small, large, smoke_problems(small, large)
