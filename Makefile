# The front door: `make ask Q="..."` and `make test` set themselves up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
Q ?= does running kill gains

.PHONY: ask test lint eval bench bench-large corpus clean serve screenshots bytecode

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# One stamp per extra, so `make ask` installs only the runtime and `make test` adds the test tools.
$(VENV)/.base: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VENV)/.web: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[web]'
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(VENV)/.eval: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[eval]'
	touch $@

$(VENV)/.bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[bench]'
	touch $@

# lrkb's own bytecode: an editable install leaves it uncompiled, and where
# PYTHONDONTWRITEBYTECODE is set every process compiles all of lrkb again (0.13 s of each
# `lrkb add`, `ask` or `search`). A wheel install compiles it; so does this, only what changed.
bytecode: | $(BIN)/python
	@$(BIN)/python -m compileall -q src >/dev/null

ask: $(VENV)/.base bytecode
	@$(BIN)/lrkb ask "$(Q)"

test: $(VENV)/.test
	$(BIN)/python -m pytest

# The web page and JSON API on http://127.0.0.1:8000/ (PORT=... to change).
PORT ?= 8000
serve: $(VENV)/.web bytecode
	$(BIN)/lrkb serve --port $(PORT)

# docs/ask.png and docs/article.png, taken by headless Chromium (tests/test_browser.py).
screenshots: $(VENV)/.test
	LRKB_SCREENSHOTS=docs $(BIN)/python -m pytest tests/test_browser.py -k screenshots

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests $(wildcard bench) hatch_build.py
	$(BIN)/ruff format --check src tests $(wildcard bench) hatch_build.py
	$(BIN)/mypy

eval: $(VENV)/.eval bytecode
	$(BIN)/lrkb eval

bench: $(VENV)/.bench bytecode
	$(BIN)/python bench/run.py --sizes 1000,10000,100000

bench-large: $(VENV)/.bench bytecode
	$(BIN)/python bench/run.py --sizes 1000000

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache corpus/.lrkb
