#!/usr/bin/env bash
# Serves the portal on http://127.0.0.1:8000 (PORT overrides) with one Celery worker and exactly
# one beat. Ctrl-C, or SIGTERM to this script (or to `make run`, which passes it on), stops all
# three within a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log
port="${PORT:-8000}"
# Seconds a running task gets to finish (Celery's warm shutdown) before the worker is stopped cold.
grace="${STOP_GRACE_SECONDS:-3}"

# Each child runs in a session of its own (setsid: its pid is its process group), so that stopping
# it reaches every process it started: runserver's autoreloader child, the worker's pool processes.
# Signalling only the parent pid left those running, and a background job of a script ignores the
# terminal's Ctrl-C, so that runserver did not stop at all. Ctrl-C now reaches this script, which
# stops the three in order.
setsid .venv/bin/celery -A shaoxing_bases worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
worker=$!
setsid .venv/bin/celery -A shaoxing_bases beat --loglevel=INFO >var/log/beat.log 2>&1 &
beat=$!
setsid .venv/bin/python manage.py runserver "127.0.0.1:${port}" &
server=$!
groups=("$server" "$beat" "$worker")

any_alive() {
    local group
    for group in "${groups[@]}"; do
        kill -0 -- "-$group" 2>/dev/null && return 0
    done
    return 1
}

wait_until_stopped() {  # seconds
    local deadline=$((SECONDS + $1))
    while any_alive && ((SECONDS < deadline)); do
        sleep 0.2
    done
}

stop() {
    trap - EXIT INT TERM
    # Warm shutdown: the web server and beat stop at once; the worker's main process (not its pool
    # processes: killed under it they leave it waiting for them) finishes the task it runs.
    kill -TERM -- "-$server" "-$beat" 2>/dev/null || true
    kill -TERM "$worker" 2>/dev/null || true
    wait_until_stopped "$grace"
    # A task that outlives the grace is not waited for (a warm shutdown waits for it however long
    # it takes): cold shutdown, then kill. Nothing is lost: tasks are acks_late, so the message goes
    # back to the queue, and every deadline has the minute sweep behind it.
    kill -QUIT "$worker" 2>/dev/null || true
    wait_until_stopped 2
    local group
    for group in "${groups[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

echo "Celery worker (pid $worker) and beat (pid $beat) log to var/log/; stop with Ctrl-C or kill $$."
echo "门户地址：http://127.0.0.1:${port}/  （演示账号见 README）"
wait "$server"
