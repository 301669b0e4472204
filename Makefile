# dondoc — every set-up step lives here, so a machine with only Python 3.11 can run it.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: demo test lint locales locales-compile bench sample clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP) $@

# Ctrl-C, EOF and /thoat end the demo with status 0: it takes the terminal for itself,
# so make never sees the interrupt (bot/demo_terminal.py).
demo: $(STAMP) locales-compile
	@$(BIN)/dondoc demo

test: $(DEVSTAMP)
	$(MAKE) locales-compile
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(DEVSTAMP)
	$(BIN)/ruff check .

locales: $(DEVSTAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ --no-wrap --sort-by-file -o locales/messages.pot bot handlers language scheduler documents models web
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-wrap --no-fuzzy-matching
	$(MAKE) locales-compile

locales-compile: $(STAMP)
	@if ls locales/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then $(BIN)/pybabel -q compile -d locales -D messages; fi

bench: $(DEVSTAMP)
	@if [ -d bench ] && ls bench/*.py >/dev/null 2>&1; then for b in bench/bench_*.py; do $(BIN)/python $$b; done; else echo "no benchmarks yet"; fi

sample: $(STAMP)
	$(BIN)/python scripts/make_sample_plan.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
