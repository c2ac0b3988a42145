"""p50/p95 under gunicorn (the production server) with concurrent clients from a second process.

`run_load_benchmark` starts gunicorn (``--workers 2``, sync workers as in production) on the bench
WSGI application (`core.bench_wsgi`: the project plus the bare view), signs the demo accounts in
(sessions made here, in the same session store the server reads), runs `core.load_client` as a
separate process with 4 concurrent clients, and reports for each target its p50, p95, requests per
second and its p95 as a multiple of the bare view's p95 in the same run; and the peak RSS of the
gunicorn workers (VmHWM) after the run.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from .benchmarking import BARE_PATH, LOGIN_BACKEND, BenchmarkError, Target

WORKERS = 2
CONCURRENCY = 4


@dataclass
class LoadResult:
    target: Target
    p50_ms: float
    p95_ms: float
    requests_per_second: float
    errors: int
    p95_ratio: float = 0.0  # p95 ÷ the anonymous bare view's p95


@dataclass
class LoadReport:
    results: list[LoadResult]
    worker_peak_rss_mb: float
    seconds: float
    rounds: int

    def table(self) -> str:
        lines = [
            "| 目标 | 身份 | p50（毫秒） | p95（毫秒） | 请求/秒 | p95 ÷ 裸视图 p95 | 错误 |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for r in self.results:
            lines.append(
                f"| {r.target.label} | {r.target.identity} | {r.p50_ms:.1f} | {r.p95_ms:.1f} "
                f"| {r.requests_per_second:.1f} | {r.p95_ratio:.2f} | {r.errors} |"
            )
        return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(child) for child in handle.read().split()]
    except OSError:
        return []


def _peak_rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchmarkError("gunicorn 启动失败，请检查上面的错误输出。")
        try:
            # Our own local gunicorn (http://127.0.0.1:…), never a user-given address.
            with urllib.request.urlopen(base + BARE_PATH, timeout=2):  # noqa: S310  # nosec B310
                return
        except OSError:
            time.sleep(0.3)
    raise BenchmarkError("gunicorn 在 60 秒内没有响应。")


def _cookies(targets: Sequence[Target]) -> dict[str, str]:
    """A session cookie per demo account, made in the session store the server reads."""
    usernames = {target.username for target in targets if target.username}
    users = get_user_model().objects.filter(username__in=usernames, is_active=True)
    cookies = {}
    for user in users:
        client = Client()
        client.force_login(user, backend=LOGIN_BACKEND)
        cookies[user.username] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    missing = usernames - cookies.keys()
    if missing:
        raise BenchmarkError(
            f"找不到演示账号：{'、'.join(sorted(missing))}。请先运行 python manage.py seed_demo"
        )
    return cookies


def run_load_benchmark(
    targets: Sequence[Target], *, seconds: float = 2.0, rounds: int = 3, concurrency: int = CONCURRENCY
) -> LoadReport:
    """Each target under gunicorn with ``concurrency`` clients; the first target is the baseline."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "shaoxing_bases.core.bench_wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        _wait_until_up(base, server)
        cookies = _cookies(targets)
        plan = {
            "base": base,
            "seconds": seconds,
            "rounds": rounds,
            "concurrency": concurrency,
            "targets": [
                {
                    "key": str(index),
                    "path": target.path,
                    "status": target.expected_status,
                    "cookie": cookies.get(target.username or "", ""),
                }
                for index, target in enumerate(targets)
            ],
        }
        # Warm every worker on every page (first-request caches) before anything is timed.
        warm = {**plan, "seconds": 0.5, "rounds": 1}
        _client(warm)
        raw = _client(plan)
        workers = _children(server.pid)
        peak = max((_peak_rss_mb(pid) for pid in workers), default=0.0)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    results = []
    for index, target in enumerate(targets):
        data = raw[str(index)]
        latencies = data["latencies"]
        rates = [n / s for n, s in zip(data["requests"], data["seconds"], strict=True) if s]
        results.append(
            LoadResult(
                target=target,
                p50_ms=_percentile(latencies, 0.5) * 1000,
                p95_ms=_percentile(latencies, 0.95) * 1000,
                requests_per_second=statistics.median(rates) if rates else 0.0,
                errors=data["errors"],
            )
        )
    bare_p95 = results[0].p95_ms
    for result in results:
        result.p95_ratio = result.p95_ms / bare_p95 if bare_p95 else float("nan")
    return LoadReport(results=results, worker_peak_rss_mb=peak, seconds=seconds, rounds=rounds)


def _client(plan: dict) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "shaoxing_bases.core.load_client"],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchmarkError(f"负载客户端出错：{completed.stderr[-500:]}")
    return json.loads(completed.stdout)
