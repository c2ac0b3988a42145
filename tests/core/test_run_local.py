"""`make run` stops within seconds even when the worker will not (scripts/run-local.sh).

The real Celery worker's warm shutdown waits for a running task however long it takes (and took
7-8 s when idle on the filesystem broker). Here the worker, beat and web server are stand-ins that
ignore SIGTERM, SIGINT and SIGQUIT and keep a child process each, the worst case: the script must
still end every one of them, children included, shortly after its grace period.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GRACE = 1

STUBBORN = """#!/usr/bin/env bash
# Ignores every polite signal, like a worker stuck in a warm shutdown; its child too.
trap '' TERM INT QUIT
sleep 300 &
echo "$$ $!" >> "{pids}"
while true; do sleep 1; done
"""


@pytest.fixture
def sandbox(tmp_path):
    if shutil.which("setsid") is None:
        pytest.skip("setsid (util-linux) is not installed")
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "run-local.sh", tmp_path / "scripts" / "run-local.sh")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    pids = tmp_path / "pids"
    for name in ("celery", "python"):
        stub = bin_dir / name
        stub.write_text(STUBBORN.format(pids=pids))
        stub.chmod(0o755)
    return tmp_path, pids


def _started_pids(pids: Path, expected: int) -> list[int]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if pids.exists():
            found = [int(pid) for line in pids.read_text().splitlines() for pid in line.split()]
            if len(found) >= 2 * expected:
                return found
        time.sleep(0.05)
    raise AssertionError("the stand-ins did not start")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as stopped.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))


@pytest.mark.parametrize("how", ["sigterm", "ctrl-c"])
def test_stop_ends_worker_beat_and_server_with_their_children_within_seconds(sandbox, how):
    root, pids = sandbox

    def foreground():  # as a terminal runs `make run`: own process group, Ctrl-C not ignored
        os.setsid()
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    script = subprocess.Popen(  # noqa: S603 - our script, fixed arguments
        ["bash", str(root / "scripts" / "run-local.sh")],  # noqa: S607
        cwd=root,
        env={**os.environ, "STOP_GRACE_SECONDS": str(GRACE), "PORT": "8999"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=foreground,
    )
    started = _started_pids(pids, expected=3)
    try:
        stopped_at = time.monotonic()
        if how == "sigterm":
            script.send_signal(signal.SIGTERM)
        else:
            os.killpg(script.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
        script.wait(timeout=GRACE + 8)
        deadline = stopped_at + GRACE + 8
        while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in started if _alive(pid)] == []
        # grace, then the cold shutdown's 2 s, then SIGKILL: a few seconds, not "when the task ends".
        assert time.monotonic() - stopped_at < GRACE + 6
    finally:
        for pid in started:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if script.poll() is None:
            script.kill()
