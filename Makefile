# Corkboard: `make run` to serve it, `make test` to test it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := run

.PHONY: run test lint format bench bench-smoke screenshots clean

run: $(VENV)/.runtime
	$(BIN)/flask db upgrade
	$(BIN)/flask run --debug --host 127.0.0.1 --port 5000

test: $(VENV)/.dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# The full benchmark: 1k and 1M rows on SQLite and PostgreSQL (seeding is cached).
bench: $(VENV)/.dev
	$(BIN)/python bench/run.py --output docs/benchmarks.md

# A quick run of the same harness at 1k rows on SQLite, without targets (CI).
bench-smoke: $(VENV)/.dev
	$(BIN)/python bench/run.py --sizes 1000 --databases sqlite --duration 1 --rounds 1 --no-targets

# PNGs of the key pages at 360 and 1280 px, light and dark, into docs/screenshots/.
screenshots: $(VENV)/.dev
	$(BIN)/python -m tests.e2e.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
