# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench lint install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,postgres,browser]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The outbox worker runs beside the server: without CONFIGURATOR_SMTP_URL it writes each
# e-mail to instance/outbox/*.eml for you to read. Ctrl-C stops both.
run: install
	$(BIN)/configurator db upgrade
	$(BIN)/configurator catalog load
	$(BIN)/configurator worker --interval 2 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask --app configurator.web:create_app run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: install-test
	@for script in bench/bench_*.py; do \
		name=$$(basename $$script .py); \
		$(BIN)/python -m bench.$$name $(BENCH_ARGS) || exit 1; \
	done

lint: install-test
	$(BIN)/ruff check configurator tests bench tools
	$(BIN)/ruff format --check configurator tests bench tools

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
