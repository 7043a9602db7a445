# Two commands matter: `make run` and `make test` (see README). Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-postgres install install-dev ingest serve lint bench clean eval-gate eval-holdout scaleout audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	# The setuptools a venv is seeded with can be years old, with known advisories (`make audit`).
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools

# The stamp files make re-runs instant while still reinstalling when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

ingest: install
	$(BIN)/assistant ingest
	$(BIN)/assistant records demo

serve: install
	$(BIN)/assistant serve --host $(HOST) --port $(PORT)

run: ingest serve

# The eval gate runs on its own index so it never touches the index `make run` serves.
EVAL_DATA := .data/eval-gate

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest
	$(MAKE) test-postgres
	$(MAKE) eval-gate

# Records tests already run on both engines; this runs everything else that touches the database on
# PostgreSQL too (skipped, with a note, when no server listens on 127.0.0.1:5432).
test-postgres: install-dev
	TEST_DATABASE=postgresql $(BIN)/python -m pytest -q tests/tools tests/api tests/agreements/test_chat_flow.py tests/evals/test_core_suites.py

# Dev suites (evals/suites/, tuned on) and holdout suites (evals/holdout/, never tuned on) in one run: the
# report shows them side by side and each has its own gate.
HOLDOUT := evals/holdout/tools.yaml evals/holdout/knowledge.yaml evals/holdout/scope.yaml evals/holdout/scope-2.yaml \
	evals/holdout/scope-3.yaml evals/holdout/scope-4.yaml evals/holdout/scope-5.yaml evals/holdout/scope-6.yaml \
	evals/holdout/agreements.yaml evals/holdout/agreements-2.yaml evals/holdout/agreements-3.yaml evals/holdout/agreements-4.yaml \
	evals/holdout/agreements-5.yaml evals/holdout/agreements-6.yaml evals/holdout/knowledge-2.yaml \
	evals/holdout/scope-7.yaml evals/holdout/agreements-7.yaml evals/holdout/agreements-8.yaml evals/holdout/agreements-9.yaml \
	evals/holdout/agreements-10.yaml evals/holdout/agreements-11.yaml evals/holdout/scope-8.yaml
DEV_SUITES := paper policy refusal conversation tools agreements

eval-gate: install-dev
	ASSISTANT_DATA_DIR=$(EVAL_DATA) $(BIN)/assistant ingest
	ASSISTANT_DATA_DIR=$(EVAL_DATA) $(BIN)/assistant eval run $(DEV_SUITES) $(HOLDOUT) --out $(EVAL_DATA)/report

# The holdout suites alone (the figures the README quotes).
eval-holdout: install-dev
	ASSISTANT_DATA_DIR=$(EVAL_DATA) $(BIN)/assistant ingest
	ASSISTANT_DATA_DIR=$(EVAL_DATA) $(BIN)/assistant eval run $(HOLDOUT) --out $(EVAL_DATA)/holdout

# Known vulnerabilities of the installed dependencies, from PyPI (docs/SECURITY.md). Needs PyPI's JSON API.
audit: install-dev
	$(BIN)/python -m deploy.audit

lint: install-dev
	$(BIN)/ruff check .

bench: install
	$(BIN)/python -m bench.latency

# Several API workers sharing PostgreSQL (DATABASE_URL, default the local test database) and a Chroma server.
WORKERS ?= 4
scaleout: install
	$(BIN)/python -m deploy.scaleout --workers $(WORKERS)

clean:
	rm -rf $(VENV) .data
