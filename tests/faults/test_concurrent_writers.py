"""Probes: four processes writing at once lose nothing and never see "database is locked".

Each probe starts four writer processes that wait for one "go" file, then write as fast as they can and print what
they were acknowledged (one JSON line). The test then reads everything back from a fresh reader and prints its
figures: writes, lost, seconds. The writers are the learner's record (answers and lab step results in one
progress.db), `run.log` metrics to runs of one workspace through the simulated Azure service (as sandboxed
kernels log), and registrations of one model name (versions must be 1..N, none missing, none twice), in both of
the simulated Azure's modes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sim._models_helpers import LabFolder

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 4
START_LIMIT = 300.0  # seconds the writers may take to import and reach the start line on a loaded machine
LOCKED = "database is locked"

# Every writer: import what it needs, say it is ready, wait for the go file, write, print its acknowledgements.
PREAMBLE = """
import json, os, sys, time, traceback
from pathlib import Path
writer, count, go = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
acked, errors = [], []
"""
START = """
Path(f"{go}.ready-{writer}").touch()
while not go.exists():
    time.sleep(0.01)  # a start line for all four: nothing else can tell them to begin at the same moment
started = time.monotonic()
"""
END = """
print(json.dumps({"acked": acked, "errors": errors, "seconds": time.monotonic() - started}), flush=True)
"""

PROGRESS_WRITER = PREAMBLE + """
from progress.record import Record
record = Record()
""" + START + """
for k in range(count):
    try:
        record.record_answer(f"cw-{writer}-{k}", ["a"], k % 2 == 0, seconds=1.0)
        record.record_lab_step("cw-lab", f"step-{writer}-{k}", True, "concurrent")
        acked.append(f"{writer}-{k}")
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}"[:300])
""" + END

RUN_LOG_WRITER = PREAMBLE + """
import sim; sim.activate()
from azureml.core import Experiment, Workspace
ws = Workspace.from_config()
""" + START + """
try:
    run = Experiment(ws, "concurrent-writers").start_logging(outputs=False)
    acked.append(run.id)
    for i in range(count):
        run.log("i", i)
        acked.append(i)
    run.complete()
except Exception as exc:
    errors.append(traceback.format_exc()[-600:])
""" + END

REGISTER_WRITER = PREAMBLE + """
import sim; sim.activate()
from azureml.core import Model, Workspace
ws = Workspace.from_config()
name = sys.argv[4]
""" + START + """
for k in range(count):
    try:
        acked.append(Model.register(ws, model_path="model", model_name=name, tags={"writer": str(writer)}).version)
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}"[:300])
""" + END


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "faults-writers")
    folder.write("model/weights.txt", "0.5\n")
    folder.ws.write_config()
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


def _writers_at_once(lab, script: str, count: int, *extra: str, mode: str = "inprocess") -> tuple[list[dict], float]:
    """Start WRITERS processes, let them go together once all are ready; (their reports, wall seconds of writing)."""
    go = lab.root / f"go-{time.monotonic_ns()}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           "DP100_SERVICE": mode, "DP100_SERVICE_IDLE_SECONDS": "300"}
    if mode == "process":
        from sim import service

        service.ensure_running()  # one service for the four (each would otherwise race to start it)
    children = [subprocess.Popen([sys.executable, "-c", script, str(w), str(count), str(go), *extra], cwd=lab.work,
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for w in range(WRITERS)]
    try:
        _wait_until_ready(go, children)
        started = time.monotonic()
        go.touch()
        outputs = [child.communicate(timeout=600) for child in children]
        seconds = time.monotonic() - started
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0 and out.strip(), f"a writer failed ({child.returncode}):\n{err[-3000:]}"
    return [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs], seconds


def _wait_until_ready(go: Path, children) -> None:
    deadline = time.monotonic() + START_LIMIT
    while sum(Path(f"{go}.ready-{w}").exists() for w in range(WRITERS)) < WRITERS:
        died = [c for c in children if c.poll() is not None]
        assert not died, f"a writer ended before the start: {died[0].communicate()[1][-3000:]}"
        assert time.monotonic() < deadline, f"the writers were not ready after {START_LIMIT:.0f} s"
        time.sleep(0.05)


def _errors(reports: list[dict]) -> list[str]:
    return [e for r in reports for e in r["errors"]]


def test_four_progress_writers_lose_nothing(lab):
    from progress.record import Record

    reports, seconds = _writers_at_once(lab, PROGRESS_WRITER, 250)
    acked = {k for r in reports for k in r["acked"]}
    record = Record()
    answered = {a["question_id"].removeprefix("cw-") for a in record.answers() if a["question_id"].startswith("cw-")}
    steps = {s.removeprefix("step-") for s in record.lab_steps("cw-lab")}
    lost = (acked - answered) | (acked - steps)
    errors = _errors(reports)
    print(f"\nconcurrent progress writers: {WRITERS} processes, {2 * len(acked)} writes (answers + lab steps), "
          f"{len(lost)} lost, {len(errors)} errors ({sum(LOCKED in e for e in errors)} locked), {seconds:.1f} s")
    assert not errors, errors[:3]
    assert len(acked) == WRITERS * 250 and not lost


@pytest.mark.parametrize("mode", ["process", "inprocess"])
def test_four_run_log_writers_lose_no_metric(lab, mode):
    from azureml.core import Run

    values = 2000
    try:
        reports, seconds = _writers_at_once(lab, RUN_LOG_WRITER, values, mode=mode)
    finally:
        if mode == "process":
            from sim import service

            service.stop()
    errors = _errors(reports)
    assert not errors, errors[:3]
    lost, statuses = 0, []
    for report in reports:
        run = Run.get(lab.ws, report["acked"][0])
        found = run.get_metrics().get("i", [])
        lost += len(set(report["acked"][1:]) - set(found if isinstance(found, list) else [found]))
        statuses.append(run.get_status())
    writes = sum(len(r["acked"]) - 1 for r in reports)
    print(f"\nconcurrent run.log writers ({mode}): {WRITERS} processes, {writes} values, {lost} lost, "
          f"{len(errors)} errors, runs {sorted(set(statuses))}, {seconds:.1f} s")
    assert writes == WRITERS * values and lost == 0 and statuses == ["Completed"] * WRITERS


@pytest.mark.parametrize("mode", ["process", "inprocess"])
def test_four_registrations_of_one_name_get_versions_one_to_n(lab, mode):
    from azureml.core import Model

    name, per_writer = f"cw-model-{mode}", 10
    try:
        reports, seconds = _writers_at_once(lab, REGISTER_WRITER, per_writer, name, mode=mode)
    finally:
        if mode == "process":
            from sim import service

            service.stop()
    errors = _errors(reports)
    acked = [v for r in reports for v in r["acked"]]
    listed = sorted(m.version for m in Model.list(lab.ws, name=name))
    lost = set(acked) - set(listed)
    print(f"\nconcurrent Model.register writers ({mode}): {WRITERS} processes, {len(acked)} registrations, "
          f"{len(lost)} lost, {len(acked) - len(set(acked))} versions given twice, {len(errors)} errors "
          f"({sum(LOCKED in e for e in errors)} locked), {seconds:.1f} s")
    assert not errors, errors[:3]
    assert sorted(acked) == list(range(1, WRITERS * per_writer + 1)), sorted(acked)
    assert listed == sorted(acked), f"acknowledged but not listed: {sorted(lost)}"
