# The two commands of the README: `make run` and `make test`. Everything else here serves them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501
LOCK   := requirements.lock
INSTALLER ?= uv
# pytest-xdist workers for `make test` (0: one process; a test file stays on one worker: --dist loadfile). Two: the
# suite waits on kernels, jobs and servers more than it computes, so two overlap well on a 2-core machine (one process
# took 47 min for 1,655 tests; two took 44 min for 1,727, the fault probes now running in both service modes).
# The newcomer browser path that failed in every earlier two-worker run met a practice queue left by the Study tests
# when they ran first on its worker; it now starts without one.
TEST_WORKERS ?= 2
# A crashed worker ends the run at once, naming the test it was running: xdist's replacement worker can wait forever
# under --dist loadfile (pytest-xdist issues 784 and 1323), which turned one crash into CI's 90-minute timeout.

.PHONY: run test lint chromium bubblewrap bench coverage lock clean

$(STAMP): pyproject.toml $(LOCK)
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 not found (looked for python3.11 and python3); install it or run: make PYTHON=/path/to/python3.11 ..."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# uv installs the project in seconds where pip takes a minute or more. The venv's pip is kept current either way:
	# Python 3.11's bundled pip cannot resolve azure-ai-ml's dependencies (InconsistentCandidate), and it is the
	# fallback wherever uv cannot be had (or with `make INSTALLER=pip`). Both honour the same pinned versions.
	$(PY) -m pip install --quiet -U pip
	if [ "$(INSTALLER)" = uv ] && $(PY) -m pip install --quiet uv; then \
		$(VENV)/bin/uv pip install --quiet --python $(PY) -c $(LOCK) -e '.[dev]'; \
	else \
		$(PY) -m pip install --quiet -c $(LOCK) -e '.[dev]'; \
	fi
	touch $(STAMP)

## Set up (first time only) and start the app on http://127.0.0.1:$(PORT)
run: $(STAMP) bubblewrap
	MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true $(PY) -m streamlit run app.py \
		--server.address 127.0.0.1 --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

## Lint, then the whole test suite (unit, AppTest and browser tests in headless Chromium)
test: $(STAMP) chromium bubblewrap
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --max-worker-restart 0

lint: $(STAMP)
	$(VENV)/bin/ruff check .

## Debian's Chromium for the browser tests (installed only when missing; needs root or sudo)
chromium:
	@scripts/ensure-chromium

## bubblewrap, the sandbox of lab kernels (installed when missing and root or sudo is at hand; skipped otherwise)
bubblewrap:
	@scripts/ensure-bubblewrap

## The suite under coverage (subprocesses included); prints a per-file table and the total
coverage: $(STAMP) chromium
	$(PY) -m pytest -q --cov --cov-report=term:skip-covered

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

## Re-pin requirements.lock after a change to pyproject.toml's dependencies (keeps the pins it can)
lock: $(STAMP)
	$(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --extra dev --no-annotate \
		--custom-compile-command 'make lock' pyproject.toml -o $(LOCK)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
