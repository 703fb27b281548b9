# Two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run install test lint format bench bench-catalog bench-generation bench-licensing bench-analysis bench-review clean

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
	$(PY) manage.py seed_demo_sales
	./scripts/run-embedded

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# One test process per core (pytest-xdist); each file stays on one process so its fixtures are made once.
test: lint
	$(VENV)/bin/pytest -n auto --dist loadfile

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) bench/engine.py

# Search latency on 100,000 tracks, in a PostgreSQL database of its own (see bench/README.md).
bench-catalog: $(STAMP)
	$(PY) bench/catalog.py

# Stamping a 5-minute WAV, MP3 and FLAC (tags + Content Credentials) against copying it (bench/licensing.py).
bench-licensing: $(STAMP)
	$(PY) bench/licensing.py

# Jobs per minute through one real worker, and submit to first playable take (see bench/README.md).
bench-generation: $(STAMP)
	$(PY) bench/generation.py

# Tempo and key estimates of uploads against engine renders of known tempo and key (bench/analysis.py).
bench-analysis: $(STAMP)
	$(PY) bench/analysis.py

# The sandboxed check of an upload and audio fingerprints, on a 3-minute file (bench/review.py).
bench-review: $(STAMP)
	$(PY) bench/review.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
