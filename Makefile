# kttt_portal: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# `make serve` (production, gunicorn): worker processes and seconds before a request is cut.
WORKERS ?= 3
TIMEOUT ?= 120
# The optional dependencies the virtualenv gets (pyproject.toml): the test tools by default;
# a server takes none (`make venv EXTRAS=`, README "Production").
EXTRAS ?= test
# Debian packages: fonts with full Vietnamese coverage (Liberation = Times New Roman / Arial
# metrics) for PDFs, gettext for the translation catalogue, WeasyPrint's Pango.
DEB_PACKAGES := fonts-liberation2 gettext libpango-1.0-0 libpangoft2-1.0-0
DEB_TEST_PACKAGES := chromium poppler-utils

AXE := node_modules/axe-core/axe.min.js

.PHONY: help setup run serve test lint format deb-packages deb-test-packages venv messages seed clean loadtest worker

help:
	@echo "make run    - set up (venv, packages, database, seed data) and serve on http://$(HOST):$(PORT)"
	@echo "make setup  - everything 'run' does before serving"
	@echo "make serve  - production: DEBUG off, collectstatic, gunicorn on $(HOST):$(PORT) (README, Production)"
	@echo "make worker - the background worker that builds report files (make run starts one)"
	@echo "make test   - lint and run the whole test suite (installs chromium for browser tests)"
	@echo "make lint   - ruff check, format check and the layer contract (lint-imports)"
	@echo "make loadtest - 50 users for 5 minutes against gunicorn + PostgreSQL (README, Production)"

$(PY):
	command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.$(if $(EXTRAS),[$(EXTRAS)])'
	touch $(STAMP)

venv: $(STAMP)

deb-packages:
	@./scripts/ensure-deb-packages $(DEB_PACKAGES)

deb-test-packages:
	@./scripts/ensure-deb-packages $(DEB_TEST_PACKAGES)
	@command -v npm >/dev/null || ./scripts/ensure-deb-packages nodejs npm

# axe-core for the accessibility checks of the browser tests, from the npm registry.
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

messages: $(STAMP) deb-packages
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

setup: $(STAMP) deb-packages messages
	mkdir -p var
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_plans
	$(PY) manage.py seed_demo_users
	$(PY) manage.py seed_demo_figures

# The report worker runs beside the development server and stops with it (Ctrl+C).
run: setup
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The background worker (django-tasks' database backend): builds the report files that
# downloads queue (reports/builds.py). Production: deploy/kttt-portal-worker.service.
worker: $(STAMP) messages
	$(PY) manage.py db_worker

# Production (README, "Production"): no migration and no seeding here, those are explicit.
# DEBUG is always off; the settings refuse to start without DJANGO_SECRET_KEY.
serve: $(STAMP) messages
	DJANGO_DEBUG=off $(PY) manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=off $(BIN)/gunicorn kttt_portal.wsgi:application \
		--bind $(HOST):$(PORT) --workers $(WORKERS) --timeout $(TIMEOUT) \
		--access-logfile - --error-logfile - --no-control-socket

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP) deb-packages deb-test-packages $(AXE) messages lint
	mkdir -p var
	$(PY) manage.py collectstatic --noinput -v0
	$(BIN)/pytest $(PYTEST_ARGS)

# The load test (README, "Production", "Load test"); not part of `make test`. Locust is an
# optional extra, installed here only. LOADTEST_USERS, LOADTEST_SECONDS…: scripts/loadtest.
LOADTEST_STAMP := $(VENV)/.loadtest-installed
$(LOADTEST_STAMP): pyproject.toml | $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,loadtest]'
	touch $(LOADTEST_STAMP)

loadtest: $(LOADTEST_STAMP) deb-packages messages
	./scripts/loadtest

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache node_modules
