# Two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run install test lint format bench bench-catalog clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch first and pinned, so pip takes the CPU build rather than a multi-gigabyte CUDA one;
# tinysoundfont without its PyAudio dependency (playback is not needed to render offline).
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[embeddings,postgres,redis,dev]"
	$(PY) -m pip install --quiet --no-deps "tinysoundfont==0.3.7"
	touch $(STAMP)

install: $(STAMP)

# Fresh machine to a running marketplace: SQLite and media under var/, the file broker, the demo catalog.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	./scripts/run-embedded

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(VENV)/bin/pytest

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) bench/engine.py

# Search latency on 100,000 tracks, in a PostgreSQL database of its own (see bench/README.md).
bench-catalog: $(STAMP)
	$(PY) bench/catalog.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
