# Two commands on a fresh clone (README):  make demo  |  make test
# Both are safe to re-run; steps whose inputs did not change are skipped.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
DEV := DJANGO_SETTINGS_MODULE=portal.settings.dev
MANAGE := $(BIN)/python manage.py

.PHONY: help prepare setup demo test install assets chromium postgres lint checks test-sqlite test-postgres lock bench

help:
	@echo "make demo   set everything up, load the procedure packs and demo data, run the site on http://$(HOST):$(PORT)/"
	@echo "make test   install what tests need, then ruff and the whole suite on SQLite and PostgreSQL"

# --- installation ------------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Python packages come from the hash-checked lock files, so CI installs exactly what production does:
# requirements.lock (production: `make install LOCK=requirements.lock`) and requirements-test.lock
# (the same versions plus the test tools). `make lock` regenerates both from pyproject.toml.
LOCK ?= requirements-test.lock
UV_VERSION := 0.13.8
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --no-header --quiet

$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# uv only resolves the lock files; it is never a dependency of the portal.
$(BIN)/uv: | $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)

# Keeps the versions already locked unless pyproject.toml pins others; the production lock is
# constrained by the test lock so the two never disagree.
lock: | $(BIN)/uv
	$(BIN)/uv pip compile pyproject.toml --extra test $(LOCK_FLAGS) -o requirements-test.lock
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -c requirements-test.lock -o requirements.lock

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/govuk/govuk-frontend.min.css: node_modules/.package-lock.json scripts/govuk_assets.py | $(BIN)/python
	$(BIN)/python scripts/govuk_assets.py

install: $(VENV)/.installed
assets: build/govuk/govuk-frontend.min.css

# Debian's Chromium for the browser tests, only when it is missing (Playwright's own download fails here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get install -y --no-install-recommends chromium fonts-liberation \
		|| { $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium fonts-liberation; }; \
	fi

# The local PostgreSQL server, started when it is down.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | tail -n 1) main start; \
		for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }

# --- demo --------------------------------------------------------------------------------------

prepare: install assets
	$(DEV) $(MANAGE) migrate --noinput
	$(DEV) $(MANAGE) load_packs

setup: prepare
	$(DEV) $(MANAGE) load_demo

# Loads the demo once and prints the sign-ins for the address the server is about to listen on.
demo: prepare
	@echo
	@$(DEV) $(MANAGE) load_demo --print-logins --base-url http://$(HOST):$(PORT)
	@echo
	$(DEV) $(MANAGE) runserver $(HOST):$(PORT)

# --- tests -------------------------------------------------------------------------------------

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Migrations match the models; production settings pass Django's deployment checks with no warning.
checks: install assets
	$(DEV) $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=portal.settings.production \
	SECRET_KEY=check-deploy-only-$$(printf 'x%.0s' $$(seq 1 60)) \
	ALLOWED_HOSTS=portal.example.gov.uk DATABASE_URL=sqlite:///:memory: \
	$(MANAGE) check --deploy --fail-level WARNING

test-sqlite: install assets chromium
	$(BIN)/pytest -n $(WORKERS) -q

test-postgres: install assets chromium postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(WORKERS) -q

test: lint checks test-sqlite test-postgres

# --- benchmark (not part of make test) -----------------------------------------------------------
# Seeds the `bench` PostgreSQL database once (SCALE=1: 100,000 children, 500,000 meetings, 2M actions),
# then prints one JSON object of page and export figures. `make bench SCALE=0.1` for a quick look.
SCALE ?= 1

bench: install postgres
	$(BIN)/python bench/dashboards.py --scale $(SCALE)
