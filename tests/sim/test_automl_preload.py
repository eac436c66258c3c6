"""What an AutoML run imports before its processes fork: the driver imports what its trials need once
(`pool.IMPORTS`), and the job host imports what a module request names before it forks the driver, so the first run
of a fresh host does not import the same libraries twice side by side (the slow first run on a busy machine)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# In a fresh interpreter: the driver's preload, the data prepared, then every planned trial of each task fitted and
# saved as a trial's process does; prints the modules the trials imported that the driver had not.
TRIALS_AFTER_PRELOAD = textwrap.dedent("""
    import sys, tempfile
    from pathlib import Path
    from sim.cloud.automl import catalog, driver, pool, scoring, settings, trial
    from tests.sim._data_helpers import diabetes_frame

    pool.preload()
    frame = diabetes_frame(300, seed=7)
    new = set()
    for task, label in (("classification", "Diabetic"), ("regression", "Age")):
        checked = settings.check({"task": task, "label_column": label, "n_cross_validations": 2})
        prepared = trial.prepare(checked, frame, None, scoring.validation_plan(len(frame), checked, False))
        for number, step in enumerate(catalog.trials(task, None, [])):
            before = set(sys.modules)
            driver._fit(prepared, step, Path(tempfile.mkdtemp()) / str(number))
            new |= set(sys.modules) - before
    print(sorted(new))
""")


def test_a_trial_imports_nothing_its_driver_has_not_imported(tmp_path):
    env = dict(os.environ, DP100_HOME=str(tmp_path), MLFLOW_DISABLE_TELEMETRY="true", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", TRIALS_AFTER_PRELOAD], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", f"add these to pool.IMPORTS: {done.stdout}"


def test_the_job_host_imports_what_a_module_request_names_before_it_forks(tmp_path, monkeypatch):
    from sim import _jobhost

    (tmp_path / "preload_probe.py").write_text(
        "import sys\nopen(sys.argv[1], 'w').write(str('tabnanny' in sys.modules))\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), str(ROOT)]))
    name = f"dp100-jobhost-test-preload-{os.getpid()}"
    _jobhost._start_host(name)
    monkeypatch.setenv(_jobhost.BORROW_ENV, name)  # request_module asks this host, not the process's own
    try:
        assert _jobhost._wait_until_ready(name)
        assert _probe(_jobhost, tmp_path, "before", ()) == "False"  # the host has not imported it on its own
        assert _probe(_jobhost, tmp_path, "after", ("tabnanny",)) == "True"
    finally:
        _jobhost._hosts[name].kill()
        _jobhost._hosts[name].wait(30)


def _probe(jobhost, folder: Path, label: str, preload: tuple[str, ...]) -> str:
    """Run the probe module forked from the host; what it found ('True' when tabnanny was imported before)."""
    answer = folder / f"{label}.txt"
    pid = jobhost.request_module("preload_probe", [str(answer)], folder, dict(os.environ), folder / f"{label}.log",
                                 preload=preload)
    assert pid is not None, "the job host did not fork the probe"
    deadline = time.monotonic() + 120
    while not (answer.exists() and answer.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)  # the probe is not this process's child: poll for its answer
    return answer.read_text() if answer.exists() else (folder / f"{label}.log").read_text()
