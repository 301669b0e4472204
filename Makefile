# dondoc — every set-up step lives here, so a machine with only Python 3.11 can run it.
# The first of python3.13, python3.12, python3.11, python3 that is 3.11 or newer
# (or say which: make PY=/usr/local/bin/python3.12 test).
PY ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& { echo $$p; break; }; done)
NO_PYTHON := Không tìm thấy Python 3.11 trở lên (đã thử python3.13, python3.12, python3.11, python3). \
	Hãy cài Python 3.11 trở lên, hoặc chỉ rõ: make PY=/đường/dẫn/python3.12 / No Python 3.11 or newer found.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: demo test lint locales locales-compile bench sample clean python

# Which Python the .venv is made with.
python:
	@if [ -z "$(PY)" ]; then echo "$(NO_PYTHON)" >&2; exit 1; fi; echo $(PY)

$(BIN)/python:
	@if [ -z "$(PY)" ]; then echo "$(NO_PYTHON)" >&2; exit 1; fi
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
