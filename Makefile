# AdForge: two commands do all the set-up on a fresh machine with Python 3.11+ and the package
# registries. `make run` starts the server; `make test` runs lint, types and the whole suite.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8003

RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed

.PHONY: help run test lint format typecheck pytest bench lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/$$(PORT)/$(PORT)/g' \
		| awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "AdForge needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.lock pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

$(DEV_STAMP): requirements-dev.lock scripts/install-system-deps.sh tests/node/package-lock.json $(RUNTIME_STAMP)
	bash scripts/install-system-deps.sh
	npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

run: $(RUNTIME_STAMP) ## Install what is needed and start the server on http://127.0.0.1:$(PORT)
	PORT=$(PORT) $(PY) -m server

test: $(DEV_STAMP) lint typecheck pytest ## Install what is needed, then lint, type-check and run the whole suite

lint: $(DEV_STAMP) ## ruff check + format check + the import contracts (pyproject.toml)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(DEV_STAMP) ## Apply ruff formatting and fixes
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck: $(DEV_STAMP) ## mypy --strict on the product packages
	$(PY) -m mypy graph server tools

pytest: $(DEV_STAMP) ## Run the test suite
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(DEV_STAMP) ## Run the benchmarks under bench/ (about 4 minutes; see bench/README.md)
	$(PY) bench/checkpoint_growth.py
	$(PY) bench/render_video.py
	$(PY) bench/load.py

lock: ## Re-resolve the lock files from pyproject.toml (needs the package registry)
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv && .lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet .
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^adforge' > requirements.lock
	.lock-venv/bin/pip install --quiet -c requirements.lock '.[dev]'
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^adforge' > requirements-dev.lock
	rm -rf .lock-venv

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
