# The two commands of the README: `make run` and `make test`. Everything else here serves them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501

.PHONY: run test lint chromium bench coverage clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 not found (looked for python3.11 and python3); install it or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# Python 3.11's bundled pip cannot resolve azure-ai-ml's dependencies (InconsistentCandidate); a current one can.
	$(PY) -m pip install --quiet -U pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Set up (first time only) and start the app on http://127.0.0.1:$(PORT)
run: $(STAMP)
	MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true $(PY) -m streamlit run app.py \
		--server.address 127.0.0.1 --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

## Lint, then the whole test suite (unit, AppTest and browser tests in headless Chromium)
test: $(STAMP) chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

## Debian's Chromium for the browser tests (installed only when missing; needs root or sudo)
chromium:
	@scripts/ensure-chromium

## The suite under coverage (subprocesses included); prints a per-file table and the total
coverage: $(STAMP) chromium
	$(PY) -m pytest -q --cov --cov-report=term:skip-covered

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
