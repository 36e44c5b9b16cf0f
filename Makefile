# The two commands of the README. Both do all their own set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test install

$(BIN)/kz: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(BIN)/kz

install: $(BIN)/kz

# Serve the portal on http://127.0.0.1:8000 with the demo data, on the embedded SQLite database.
serve: install
	$(BIN)/kz init --demo
	$(BIN)/kz serve --host 127.0.0.1 --port 8000

# Run the tests (SQLite; then PostgreSQL too when KZ_TEST_DATABASE_URL is set) and the small benchmarks.
test: install
	scripts/test
