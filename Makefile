# The README's commands. `make run` and `make test` install everything they need on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
TEST_SETTINGS := DJANGO_SETTINGS_MODULE=shaoxing_bases.settings.test

.PHONY: install system-packages python-packages assets run test lint unit e2e bench bench-smoke seed-scale bench-scale render-samples clean

install: system-packages python-packages assets

system-packages:
	bash scripts/install-system-packages.sh

python-packages: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_certificates
	$(PY) manage.py seed_demo
	bash scripts/run-local.sh

lint: python-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_SETTINGS) $(VENV)/bin/mypy
	$(VENV)/bin/bandit -q -ll -r shaoxing_bases applications review reporting -x '*/migrations/*'

test: install lint
	$(TEST_SETTINGS) $(PY) manage.py check
	$(TEST_SETTINGS) $(PY) manage.py makemigrations --check --dry-run
	$(TEST_SETTINGS) $(PY) manage.py bench_smoke
	$(VENV)/bin/pytest

# Not only Python: the deploy checks (tests/core/test_settings.py) run `check --deploy`, which warns
# about node_modules/ missing from STATICFILES_DIRS, and the PDF tests need pango and the CJK fonts.
unit: install
	$(VENV)/bin/pytest -m "not e2e"

e2e: install
	$(VENV)/bin/pytest -m e2e

bench: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_certificates
	$(PY) manage.py seed_demo
	$(PY) manage.py bench --dataset demo --load

# Query counts and pagination at two data sizes, in a throwaway database (< 1 minute; never timed).
bench-smoke: install
	$(TEST_SETTINGS) $(PY) manage.py bench_smoke

# The provincial-scale dataset lives in a database of its own (docs/benchmarks.md), never the demo's.
SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/shaoxing_scale
SCALE_ENV := DJANGO_SETTINGS_MODULE=shaoxing_bases.settings.local DATABASE_URL=$(SCALE_DATABASE_URL)

seed-scale: install
	$(PY) scripts/ensure-database.py $(SCALE_DATABASE_URL)
	$(SCALE_ENV) $(PY) manage.py migrate --noinput
	$(SCALE_ENV) $(PY) manage.py seed_scale

bench-scale: seed-scale
	$(SCALE_ENV) $(PY) manage.py bench --dataset scale --load

render-samples: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_certificates
	$(PY) manage.py render_samples var/samples

clean:
	rm -rf $(VENV) node_modules staticfiles var test-artifacts db.sqlite3
