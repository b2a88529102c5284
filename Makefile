# kcry — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install only when pyproject.toml changes (the stamps are newer otherwise). Serving
# needs the project alone; the tests add their tools (pytest, Playwright, ruff, …).
INSTALLED := $(VENV)/.installed
INSTALLED_TEST := $(VENV)/.installed-test

.PHONY: run test lint migrations-check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(INSTALLED)

$(INSTALLED_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(INSTALLED) $(INSTALLED_TEST)

# Local use: DEBUG on (it is off unless the environment says otherwise).
run: export DEBUG ?= 1
run: $(INSTALLED)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_seeds
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite runs twice: on SQLite (the embedded default) and on PostgreSQL (the
# scale-out path), which is started from Debian's packages when no server is given.
test: $(INSTALLED_TEST)
	tests/services/debian-packages.sh
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	@echo "=== test suite on SQLite ==="
	env -u DATABASE_URL -u CACHE_URL $(BIN)/python -m pytest
	@echo "=== test suite on PostgreSQL ==="
	url="$$(tests/services/postgres.sh)" && DATABASE_URL="$$url" $(BIN)/python -m pytest

# The benchmark: a synthetic community served by gunicorn and loaded by wrk. SQLite by
# default; `make bench BENCH_DB=postgresql` runs it on a fresh PostgreSQL database.
BENCH_DB ?= sqlite
BENCH_ARGS ?=
bench: $(INSTALLED_TEST)
	tests/services/debian-packages.sh
	@if [ "$(BENCH_DB)" = postgresql ]; then \
	  url="$$(tests/services/postgres.sh bench)" || exit 1; output=docs/benchmark-postgresql.md; \
	else \
	  rm -f bench.sqlite3 bench.sqlite3-wal bench.sqlite3-shm; \
	  url="sqlite:///$(CURDIR)/bench.sqlite3"; output=docs/benchmark.md; \
	fi; \
	export DATABASE_URL="$$url" KCRY_BENCH_VIEW=1 KCRY_BENCH_COMMAND="make bench BENCH_DB=$(BENCH_DB)"; \
	export DEBUG=1 SECRET_KEY="bench-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"; \
	$(BIN)/python manage.py migrate --no-input -v0 && \
	$(BIN)/python manage.py bench --output "$$output" $(BENCH_ARGS)

lint: $(INSTALLED_TEST)
	$(BIN)/ruff check .

migrations-check: $(INSTALLED_TEST)
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles
