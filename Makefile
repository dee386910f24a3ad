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

.PHONY: help setup demo test install assets chromium postgres lint checks test-sqlite test-postgres bench

help:
	@echo "make demo   set everything up, load the procedure packs and demo data, run the site on http://$(HOST):$(PORT)/"
	@echo "make test   install what tests need, then ruff and the whole suite on SQLite and PostgreSQL"

# --- installation ------------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

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

setup: install assets
	$(DEV) $(MANAGE) migrate --noinput
	$(DEV) $(MANAGE) load_packs
	$(DEV) $(MANAGE) load_demo

demo: setup
	@echo
	@echo "Placement stability portal: http://$(HOST):$(PORT)/   (CMS for policy owners and auditors: http://$(HOST):$(PORT)/cms/)"
	@$(DEV) $(MANAGE) load_demo --print-logins
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
