# Pantau PPID — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.install-stamp
PYTEST_ARGS ?=
# make demo PORT=8600 — the dashboard's port (default: PANTAU_DASHBOARD_PORT, else 8501).
PORT ?=

.PHONY: install test demo bench lint clean

install: $(STAMP)

# Re-installs only when pyproject.toml changed, so a second `make install` is instant.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,render]"
	touch $(STAMP)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

demo: install
	$(BIN)/pantau demo $(if $(PORT),--port $(PORT),)

bench: install
	$(BIN)/python -m pip install --quiet -e ".[test,bench,render]"
	$(BIN)/python -m benchmarks.run

lint: install
	$(BIN)/ruff check core pantau scrapers warehouse reminders flows dashboard sample_world tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
