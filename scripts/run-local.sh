#!/usr/bin/env bash
# Serves the portal on http://127.0.0.1:8000 with one Celery worker and exactly one beat.
# Ctrl-C (or SIGTERM to this script) stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log
.venv/bin/celery -A shaoxing_bases worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
worker=$!
.venv/bin/celery -A shaoxing_bases beat --loglevel=INFO >var/log/beat.log 2>&1 &
beat=$!
.venv/bin/python manage.py runserver 127.0.0.1:8000 &
server=$!
# Every child goes when this script goes, however it is stopped.
trap 'kill $server $worker $beat 2>/dev/null || true' EXIT INT TERM
echo "Celery worker (pid $worker) and beat (pid $beat) log to var/log/."
echo "门户地址：http://127.0.0.1:8000/  （演示账号见 README）"
wait "$server"
