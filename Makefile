# `make demo` and `make test` do all set-up themselves: .venv, the project, Chromium.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test lint chromium pywb lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

chromium: $(INSTALLED)
	scripts/ensure-chromium $(BIN)

demo: $(INSTALLED) chromium
	$(BIN)/adwatch demo --second-opinion

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

pywb:
	scripts/ensure-pywb .venv-pywb

test: $(INSTALLED) chromium pywb lint
	npm ci --no-audit --no-fund
	scripts/with-postgres scripts/with-redis scripts/run-tests $(BIN)

# Re-pin every dependency after changing pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) data/demo .pytest_cache .ruff_cache
