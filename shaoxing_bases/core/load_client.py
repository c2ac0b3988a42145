"""The load generator of `make bench`, run as a second process: ``python -m shaoxing_bases.core.load_client``.

Reads a JSON plan on stdin — ``{"base": "http://127.0.0.1:8123", "seconds": 2, "rounds": 3,
"concurrency": 4, "targets": [{"key": "…", "path": "/…", "cookie": "sessionid=…"}]}`` — and, round
by round and target by target (rotated each round), keeps ``concurrency`` clients requesting the
target for ``seconds``. Writes ``{key: {"latencies": [...], "requests": [...per round], "seconds":
[...per round], "errors": n}}`` as JSON on stdout. Standard library only (threads and http.client),
so that it measures the server and not a framework of its own.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def _one(host: str, port: int, path: str, cookie: str) -> tuple[float, int]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        status = response.status
    finally:
        connection.close()
    return time.perf_counter() - started, status


def _slice(base: str, target: dict, seconds: float, concurrency: int) -> tuple[list[float], int, float]:
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            try:
                elapsed, status = _one(host, port, target["path"], target.get("cookie", ""))
            except OSError:
                elapsed, status = 0.0, 0
            with lock:
                if status == target.get("status", 200):
                    latencies.append(elapsed)
                else:
                    errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def run(plan: dict) -> dict:
    targets = plan["targets"]
    results: dict[str, dict] = {
        target["key"]: {"latencies": [], "requests": [], "seconds": [], "errors": 0} for target in targets
    }
    for round_number in range(plan["rounds"]):
        shift = round_number % len(targets)
        for target in targets[shift:] + targets[:shift]:
            latencies, errors, elapsed = _slice(plan["base"], target, plan["seconds"], plan["concurrency"])
            result = results[target["key"]]
            result["latencies"] += latencies
            result["requests"].append(len(latencies))
            result["seconds"].append(elapsed)
            result["errors"] += errors
    return results


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
