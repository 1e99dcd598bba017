# Commissioning — the two commands that matter: `make demo` and `make test` (see README).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) -m commissioning.manage
export DJANGO_SETTINGS_MODULE := commissioning.settings
export PYTHONPATH := $(CURDIR)/src

PG_PORT ?= 54329
# Outside the checkout: the `postgres` user must be able to reach it wherever CI clones the repo.
PG_DIR ?= /tmp/commissioning-pg-$(PG_PORT)
PG_URL := postgres://postgres@127.0.0.1:$(PG_PORT)/commissioning

STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
STATIC_BUILD := src/commissioning/static/build/.built

.PHONY: help install system-deps static demo demo-data test lint types migrations-check \
        test-sqlite test-postgres pg-start pg-stop bench peers-env clean

help:
	@echo "make demo   — install, load the synthetic demo market and serve http://127.0.0.1:8000"
	@echo "make test   — install everything, lint, type-check and run every test (SQLite + PostgreSQL)"
	@echo "make bench  — benchmarks (PostgreSQL, 10x market; outcome matching beside causalml)"

# ------------------------------------------------------------------ installation
# Development gets both locks; a production install uses requirements/runtime.txt alone
# (docs/deployment.md), so no test tool reaches a server.
$(STAMP_PY): pyproject.toml requirements/runtime.txt requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/runtime.txt -c requirements/dev.txt -e ".[dev]"
	mkdir -p var/staticfiles
	touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(STATIC_BUILD): $(STAMP_NPM) $(shell find frontend -type f 2>/dev/null)
	node frontend/build.mjs
	touch $@

static: $(STATIC_BUILD)

# Debian packages the tests need: chromium for browser tests, PostgreSQL for the second database.
system-deps:
	@missing=""; \
	  [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq; \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  fi

install: $(STAMP_PY) $(STATIC_BUILD)

# ------------------------------------------------------------------ demo
demo: install
	scripts/demo.sh

# ------------------------------------------------------------------ checks
lint: $(STAMP_PY)
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench
	$(BIN)/lint-imports --no-cache

types: $(STAMP_PY)
	$(BIN)/mypy

migrations-check: $(STAMP_PY)
	DJANGO_SETTINGS_MODULE=commissioning.settings_dev $(MANAGE) makemigrations --check --dry-run

test-sqlite: install system-deps
	$(BIN)/pytest -p no:cacheprovider

pg-start: system-deps
	scripts/postgres.sh start $(PG_DIR) $(PG_PORT)

pg-stop:
	scripts/postgres.sh stop $(PG_DIR) $(PG_PORT)

test-postgres: install system-deps
	scripts/postgres.sh start $(PG_DIR) $(PG_PORT); \
	status=0; DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider || status=$$?; \
	scripts/postgres.sh stop $(PG_DIR) $(PG_PORT); exit $$status

test: install system-deps lint types migrations-check test-sqlite test-postgres

# The peer libraries `make bench` compares with (causalml) live in their own venv, never in .venv.
# A failure to build it is reported and the bench carries on without the comparison.
peers-env:
	PYTHON=$(PYTHON) scripts/peers-env.sh || echo "peers-env: could not build .venv-peers; make bench carries on without the peer comparison" >&2

bench: install system-deps peers-env
	scripts/postgres.sh start $(PG_DIR) $(PG_PORT); \
	status=0; DATABASE_URL=$(PG_URL) DJANGO_SETTINGS_MODULE=commissioning.settings_dev $(PY) bench/run.py || status=$$?; \
	scripts/postgres.sh stop $(PG_DIR) $(PG_PORT); exit $$status

clean:
	rm -rf $(VENV) node_modules var src/commissioning/static/build
