"""Throughput of the main pages as a ratio to a bare Django view in the same run (DESIGN section 10).

`python manage.py bench` is a thin wrapper around `run_benchmark()`. Every request goes through
`django.test.Client` in-process (no network, no web server), so what is measured is our code: the
middleware stack, the views, the templates and the queries. The absolute requests/second depend on the
machine; the ratio to a bare view behind the same middleware is the number to track between commits.

The bare view is mounted only while measuring, by a bench-only URLconf built here and applied with
`override_settings(ROOT_URLCONF=...)`; it is never part of the project's URLs.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from types import ModuleType
from zoneinfo import ZoneInfo

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path
from django.utils import timezone

BARE_PATH = "/__bench__/bare/"
REPORT_TIMEZONE = ZoneInfo("Asia/Shanghai")
# force_login needs a backend that can load the user back from the session; the first configured
# backend (axes) only watches login attempts and cannot.
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
HANDLER_NAMES = ("handler400", "handler403", "handler404", "handler500")


class BenchmarkError(Exception):
    """Something the person running the benchmark has to fix first. The message is in Chinese."""


@dataclass(frozen=True)
class Target:
    """One page to measure: GET `path`, anonymously or signed in as the demo account `username`."""

    label: str
    path: str
    username: str | None = None
    expected_status: int = 200

    @property
    def identity(self) -> str:
        return self.username or "匿名"


BASELINE = Target("裸视图（基线）", BARE_PATH)
#: The same bare view for a signed-in user: what the session, authentication and idle-timeout
#: middleware cost on every page (the target: at least half the anonymous bare view's throughput).
SIGNED_IN_BASELINE = Target("裸视图（已登录）", BARE_PATH, "city_hrss")

_registered: list[Target] = []


def register_targets(*targets: Target) -> None:
    """Add pages to the benchmark (each area registers its own from its ``ready()``)."""
    for target in targets:
        if target not in _registered:
            _registered.append(target)


def registered_targets() -> tuple[Target, ...]:
    return tuple(_registered)


# The portal's own pages; the areas add theirs with `register_targets`.
register_targets(
    SIGNED_IN_BASELINE,
    Target("登录页", "/accounts/login/"),
    Target("门户首页", "/"),
    Target("工作台（申报单位）", "/dashboard/", "applicant"),
    Target("工作台（越城区人力社保局）", "/dashboard/", "yuecheng_hrss"),
    Target("工作台（市人力社保局）", "/dashboard/", "city_hrss"),
)


HOW_TO_READ = "".join(
    [
        '“相对裸视图”是跟踪的指标：同一轮里该页面的吞吐量除以裸视图（`HttpResponse("ok")`）',
        "的吞吐量，再取各轮的中位数。裸视图经过与真实页面完全相同的中间件栈（`settings.MIDDLEWARE`：",
        "会话、CSRF、认证、空闲超时、CSP 等），所以这个比值只反映页面自身的开销：视图、模板和数据库查询。",
        "请求/秒的绝对值取决于机器，不同机器之间不可比；各目标在每一轮中交替测量，机器噪声对它们的影响",
        "大致相同，所以比值比绝对值稳定得多。“各轮比值范围”是各轮比值的最小值和最大值：范围宽，",
        "说明测量时机器不安静（看一看平均负载），应在空闲时重测或加大 `--seconds`、`--rounds`。",
        "比较提交前后的结果时，应在同一台机器、同一种数据库上比较：比值明显下降（超出各轮范围），",
        "或“查询/请求”增加，都值得查明原因；列表页的查询数应当是固定值，与数据行数无关（DESIGN 第 10 节）。",
        "这里测的是单线程、进程内的请求处理，不包括网络、gunicorn 和静态文件，不能用来估算线上容量。",
    ]
)


def bare_view(request):
    """The baseline: no template, no query; only the framework and the middleware stack."""
    return HttpResponse("ok")


def bench_urlconf(project_urlconf: str) -> ModuleType:
    """A URLconf holding the project's patterns plus the bare view, with the project's error handlers."""
    urlconf = ModuleType(f"{__name__}.bench_urls", "Bench-only URLconf; exists only while measuring.")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path(BARE_PATH.lstrip("/"), bare_view),
        path("", include(project_urlconf)),
    ]
    project = import_module(project_urlconf)
    for name in HANDLER_NAMES:
        if hasattr(project, name):
            setattr(urlconf, name, getattr(project, name))
    return urlconf


@dataclass
class TargetResult:
    target: Target
    rates: list[float]  # requests per second, one per round
    ratios: list[float]  # rate / baseline rate of the same round, one per round
    queries_per_request: float
    signed_in_ratios: list[float] | None = None  # rate / the signed-in bare view's, per round

    @property
    def signed_in_ratio(self) -> float | None:
        return statistics.median(self.signed_in_ratios) if self.signed_in_ratios else None

    @property
    def requests_per_second(self) -> float:
        return statistics.median(self.rates)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


@dataclass
class BenchmarkReport:
    measured_at: datetime
    seconds: float
    rounds: int
    warmup: int
    machine: list[tuple[str, str]]
    results: list[TargetResult]  # the baseline first

    def table(self) -> str:
        lines = [
            "| 目标 | 地址 | 身份 | 请求/秒 | 相对裸视图 | 各轮比值范围 | 相对已登录裸视图 | 查询/请求 |",
            "|---|---|---|---:|---:|---:|---:|---:|",
        ]
        for result in self.results:
            target = result.target
            cells = [
                target.label,
                f"`{target.path}`",
                target.identity,
                f"{result.requests_per_second:.1f}",
                f"{result.ratio:.3f}",
                f"{min(result.ratios):.3f}–{max(result.ratios):.3f}",
                "–" if result.signed_in_ratio is None else f"{result.signed_in_ratio:.3f}",
                f"{result.queries_per_request:.1f}",
            ]
            lines.append(f"| {' | '.join(cells)} |")
        return "\n".join(lines)

    def summary(self) -> list[str]:
        when = self.measured_at.astimezone(REPORT_TIMEZONE).strftime("%Y-%m-%d %H:%M")
        return [
            f"- 日期：{when}（Asia/Shanghai）",
            *(f"- {label}：{value}" for label, value in self.machine),
            f"- 方法：进程内 `django.test.Client`，每个目标先预热 {self.warmup} 次；"
            f"每个目标每轮测 {self.seconds:g} 秒，共 {self.rounds} 轮交错进行，取中位数",
        ]

    def to_markdown(self) -> str:
        return "\n".join(
            [
                "# 性能基准",
                "",
                "> 由 `python manage.py bench` 生成（`make bench`），请勿手工修改；重新运行即可更新。",
                "",
                *self.summary(),
                "",
                self.table(),
                "",
                "## 怎么读",
                "",
                HOW_TO_READ,
                "",
            ]
        )


def machine_info() -> list[tuple[str, str]]:
    cpu = f"{os.cpu_count()} 个逻辑 CPU"
    model = _cpu_model()
    if model:
        cpu += f"（{model}）"
    version = ".".join(str(part) for part in connection.get_database_version())
    machine = f"{cpu}，{platform.system()} {platform.machine()}"
    if hasattr(os, "getloadavg"):
        machine += f"，测量前 1 分钟平均负载 {os.getloadavg()[0]:.2f}"
    return [
        ("机器", machine),
        ("软件", f"Python {platform.python_version()}，Django {django.get_version()}"),
        ("数据库", f"{connection.display_name} {version}（vendor `{connection.vendor}`）"),
        (
            "设置",
            f"`{os.environ.get('DJANGO_SETTINGS_MODULE', '')}`，测量时 DEBUG 关闭（不记录查询日志）",
        ),
    ]


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def run_benchmark(
    targets: Sequence[Target] | None = None,
    *,
    seconds: float = 2.0,
    rounds: int = 3,
    warmup: int = 20,
    query_samples: int = 5,
    progress: Callable[[str], None] | None = None,
) -> BenchmarkReport:
    """Measure the baseline and every target; raise BenchmarkError if a demo account is missing."""
    if seconds <= 0 or rounds < 1 or warmup < 0 or query_samples < 1:
        raise ValueError("seconds must be > 0, rounds and query_samples >= 1, warmup >= 0")
    report_progress = progress or (lambda message: None)
    measured = list(dict.fromkeys([BASELINE, *(registered_targets() if targets is None else targets)]))
    hosts = list(settings.ALLOWED_HOSTS)
    if "testserver" not in hosts:
        hosts.append("testserver")
    measured_at = timezone.now()
    machine = machine_info()  # before measuring, so that the load average is the machine's, not ours

    # DEBUG off: with DEBUG on every query is logged, which would weigh on the pages and not the baseline.
    with override_settings(
        ROOT_URLCONF=bench_urlconf(settings.ROOT_URLCONF), ALLOWED_HOSTS=hosts, DEBUG=False
    ):
        clients = _signed_in_clients(measured)
        try:
            queries: dict[Target, float] = {}
            for target in measured:
                report_progress(f"预热：{target.label}")
                for _ in range(warmup):
                    _get(clients[target], target)
                queries[target] = _queries_per_request(clients[target], target, query_samples)

            rates: dict[Target, list[float]] = {target: [] for target in measured}
            for round_number in range(rounds):
                report_progress(f"第 {round_number + 1}/{rounds} 轮")
                # Rotate the order each round so that no target always runs first or last.
                shift = round_number % len(measured)
                for target in measured[shift:] + measured[:shift]:
                    rates[target].append(_throughput(clients[target], target, seconds))
        finally:
            for target, client in clients.items():
                if target.username:
                    client.logout()

    baseline_rates = rates[BASELINE]
    signed_rates = rates.get(SIGNED_IN_BASELINE)
    results = [
        TargetResult(
            target=target,
            rates=rates[target],
            ratios=[rate / base for rate, base in zip(rates[target], baseline_rates, strict=True)],
            queries_per_request=queries[target],
            signed_in_ratios=[rate / base for rate, base in zip(rates[target], signed_rates, strict=True)]
            if signed_rates and target.username
            else None,
        )
        for target in measured
    ]
    return BenchmarkReport(
        measured_at=measured_at,
        seconds=seconds,
        rounds=rounds,
        warmup=warmup,
        machine=machine,
        results=results,
    )


def _signed_in_clients(targets: Sequence[Target]) -> dict[Target, Client]:
    usernames = {target.username for target in targets if target.username}
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=usernames, is_active=True)
    }
    missing = sorted(usernames - users.keys())
    if missing:
        raise BenchmarkError(f"找不到演示账号：{'、'.join(missing)}。请先运行 python manage.py seed_demo")
    clients: dict[Target, Client] = {}
    for target in targets:
        client = Client()
        if target.username:
            # force_login: no password hashing anywhere near the measured loop.
            client.force_login(users[target.username], backend=LOGIN_BACKEND)
        clients[target] = client
    return clients


def _get(client: Client, target: Target):
    response = client.get(target.path)
    if response.status_code != target.expected_status:
        raise BenchmarkError(
            f"{target.label}（{target.path}，{target.identity}）返回 {response.status_code}，"
            f"应为 {target.expected_status}"
        )
    return response


def _queries_per_request(client: Client, target: Target, samples: int) -> float:
    with CaptureQueriesContext(connection) as context:
        for _ in range(samples):
            _get(client, target)
    return len(context.captured_queries) / samples


def _throughput(client: Client, target: Target, seconds: float) -> float:
    """Requests per second over one time slice of `seconds` (at least one request)."""
    gc.collect()
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        _get(client, target)
        count += 1
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)
