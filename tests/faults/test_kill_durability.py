"""Probes: kill -9 at random moments (seeded) of a process that logs metrics, registers models, creates workspaces,
deploys or writes the learner's record. Nothing it was acknowledged may be lost, nothing may stay Running or
Transitioning, and the two stores of metrics (the service's table and MLflow) must agree. Each probe prints its
figures. The children are forked by one preloaded server (`tests/faults/_kill_probe.py`), so a trial costs
its kill delay plus the kill, not an interpreter start.

The simulated Azure's probes run in both modes: "inprocess" (the killed process writes the state itself) and
"process" (it sends requests to the service process, as a sandboxed kernel does, and the kill lands between or
during them). Progress writes are the learner's own record, written by the app in either mode: one probe.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sim import _owner
from tests.sim._models_helpers import SCALER_SCRIPT, LabFolder, register_factor, servers_still_running

ROOT = Path(__file__).resolve().parents[2]
TRIALS = 50          # kills per operation and mode, as the issue asks (deploys too)
WAIT_LIMIT = 90.0    # seconds a wait may take before the probe calls it stuck
MODES = ["inprocess", "process"]
TAGS = {"inprocess": "", "process": "-p"}  # in names the children make, so both modes share one workspace


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "faults-kill")
    folder.write("model/weights.txt", "0.5\n")
    folder.write("scaler/score.py", SCALER_SCRIPT)
    register_factor(folder.ws, 2.0)
    folder.ws.write_config()
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


@pytest.fixture(params=MODES)
def mode(request, lab):
    """The simulated Azure's mode of the probed children; a service the probe started stops with the test.

    This process reads what was left in "inprocess" mode, from the same files the service wrote."""
    yield request.param
    if request.param == "process":
        from sim import service

        service.stop()


def _probe(lab, operation: str, seed: int, trials: int, low_ms: float, high_ms: float,
           mode: str = "inprocess") -> list[dict]:
    """Run the fork server; every child must have been killed by SIGKILL (else the probe probed nothing)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
           _owner.OWNER_ENV: _owner.token(),  # servers a child starts belong to this test, as a kernel's to the app
           "DP100_SERVICE": mode, "DP100_SERVICE_IDLE_SECONDS": "300"}
    done = subprocess.run([sys.executable, "-m", "tests.faults._kill_probe", operation, str(seed), str(trials),
                           str(low_ms), str(high_ms), TAGS[mode]], cwd=lab.work, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    outcomes = json.loads(done.stdout.strip().splitlines()[-1])
    survivors = [o for o in outcomes if o["signal"] != 9]
    assert not survivors, f"children that ended before the kill: {survivors[:3]}\n{done.stderr[-3000:]}"
    return outcomes


def _logged_numbers(metrics: dict) -> list[int]:
    """Every value the run_log child logged, from the four shapes get_metrics returns."""
    scalars = metrics.get("i", [])
    found = list(scalars) if isinstance(scalars, list) else [scalars]
    found += metrics.get("l", [])
    found += metrics.get("r", {}).get("i", [])
    found += metrics.get("t", {}).get("i", [])
    return found


def test_run_log_kill_loses_no_acknowledged_value(lab, mode):
    from azureml.core import Experiment, Run

    from sim.cloud.runs import tracking

    outcomes = _probe(lab, "run_log", seed=1201, trials=TRIALS, low_ms=0, high_ms=1200, mode=mode)
    mlc = tracking.client(lab.ws._record)
    acked = lost = invented = disagreeing = 0
    for outcome in outcomes:
        if not outcome["acked"]:
            continue  # killed before start_logging returned: nothing was acknowledged
        run = Run.get(lab.ws, outcome["acked"][0])
        values = [int(v) for v in outcome["acked"][1:]]
        found = _logged_numbers(run.get_metrics())
        acked += len(values)
        lost += len(set(values) - set(found))
        # At most the call in flight at the kill may have landed besides the acknowledged ones, and only once.
        invented += len(found) - len(set(found)) + len(set(found) - set(range(len(values) + 1)))
        scalars = run.get_metrics().get("i", [])
        scalars = scalars if isinstance(scalars, list) else [scalars]
        history = [int(m.value) for m in sorted(mlc.get_metric_history(run.id, "i"), key=lambda m: m.step)]
        disagreeing += history != scalars
    statuses = [r.get_status() for r in Experiment(lab.ws, f"kill-run-log{TAGS[mode]}").get_runs()]
    stuck = sum(s not in ("Completed", "Failed", "Canceled") for s in statuses)
    print(f"\nrun.log kill -9 probe ({mode}): {len(outcomes)} kills, {acked} acknowledged values, {lost} lost, "
          f"{invented} duplicated or invented, {disagreeing} runs where MLflow disagrees, {len(statuses)} runs, "
          f"{stuck} not ended")
    assert acked > 0 and (lost, invented, disagreeing, stuck) == (0, 0, 0, 0)
    assert set(statuses) <= {"Failed"}  # their process died: Failed, with the reason
    failed = Run.get(lab.ws, outcomes[-1]["acked"][0]) if outcomes[-1]["acked"] else None
    if failed is not None:
        assert "ended before the run was completed" in failed.get_details()["error"]["error"]["message"]


LOG_THEN_WAIT = """
import sys, time
import sim; sim.activate()
from azureml.core import Experiment, Workspace
run = Experiment(Workspace.from_config(), "kill-after-log").start_logging(outputs=False)
for i in range(3000):
    run.log("value", i)
print(run.id, flush=True)
time.sleep(600)
"""


def test_values_logged_half_a_second_before_a_kill_are_all_there(lab):
    """The issue's own probe: 3,000 run.log calls return, the process is killed 0.5 s later, a reader sees 3,000."""
    from azureml.core import Run

    child = subprocess.Popen([sys.executable, "-c", LOG_THEN_WAIT], cwd=lab.work, stdout=subprocess.PIPE, text=True)
    try:
        run_id = child.stdout.readline().strip()
        time.sleep(0.5)  # the delay under test, not a synchronisation: the line above says logging has returned
    finally:
        child.kill()
        child.wait(timeout=60)
        child.stdout.close()
    run = Run.get(lab.ws, run_id)
    assert run.get_metrics()["value"] == list(range(3000))
    assert run.get_status() == "Failed"


def test_register_kill_loses_no_acknowledged_version(lab, mode):
    from azureml.core import Model

    from sim.cloud import models as cloud_models
    from sim.cloud.models import _registry
    from sim.cloud.runs import tracking

    name = f"kill-model{TAGS[mode]}"
    outcomes = _probe(lab, "register", seed=1202, trials=TRIALS, low_ms=0, high_ms=1500, mode=mode)
    acked = [int(v) for o in outcomes for v in o["acked"]]
    listed = Model.list(lab.ws, name=name)
    versions = [m.version for m in listed]
    lost = set(acked) - set(versions)
    unusable = []
    for model in listed:
        target = lab.root / "downloads" / name / str(model.version)
        try:
            path = Model(lab.ws, name, version=model.version).download(target_dir=str(target), exist_ok=True)
            assert (Path(path) / "weights.txt").read_text() == "0.5\n"
        except Exception as exc:  # a version that is listed but cannot be used is half-made
            unusable.append((model.version, repr(exc)[:200]))
    in_mlflow = sorted(int(v.version) for v in tracking.client(lab.ws._record).search_model_versions(
        f"name='{name}'"))
    after = Model.register(lab.ws, model_path="model", model_name=name)
    assets = _registry.assets_dir(lab.ws._record)
    used = {m.asset_id for m in cloud_models.query(lab.ws._record)}
    stray = [p.name for p in assets.iterdir() if p.name not in used]  # files or markers of killed registrations
    staging = list((assets.parent / "staging").iterdir())
    print(f"\nModel.register kill -9 probe ({mode}): {len(outcomes)} kills, {len(acked)} acknowledged versions, "
          f"{len(lost)} lost, {len(versions)} listed, {len(unusable)} unusable, MLflow's registry holds "
          f"{len(in_mlflow)}; the next register got version {after.version}; {len(stray)} stray asset entries, "
          f"{len(staging)} staging folders left")
    assert acked and not lost and not unusable and len(versions) == len(set(versions))
    assert stray == [] and staging == []
    assert in_mlflow == sorted(versions)  # one registry: a killed registration is rolled back from MLflow too
    assert after.version > max(versions)  # a rolled-back version's number is not given again (MLflow keeps it)


def test_workspace_create_kill_leaves_every_workspace_usable(lab, mode):
    from azureml.core import Experiment, Workspace

    outcomes = _probe(lab, "workspace", seed=1203, trials=TRIALS, low_ms=0, high_ms=1500, mode=mode)
    sub = "00000000-0000-0000-0000-00000000fa11"
    acked = [name for o in outcomes for name in o["acked"]]
    lost = []
    for name in acked:
        try:
            Workspace.get(name, subscription_id=sub, resource_group="kill-rg")
        except Exception as exc:
            lost.append((name, repr(exc)[:200]))
    broken = []
    for outcome in outcomes:  # the one being created at the kill: absent, or there and whole, never half-made
        name = f"kill{TAGS[mode]}-{outcome['trial']}-{len(outcome['acked'])}"
        try:
            ws = Workspace.create(name, subscription_id=sub, resource_group="kill-rg", exist_ok=True,
                                  show_output=False)
            Experiment(ws, "after-kill").start_logging(outputs=False).complete()
            ws.get_default_datastore()
        except Exception as exc:
            broken.append((name, repr(exc)[:300]))
    listed = Workspace.list(sub, resource_group="kill-rg")
    Workspace.create(f"kill-after{TAGS[mode]}", subscription_id=sub, resource_group="kill-rg", show_output=False)
    scratch = [p.name for p in lab.home.rglob(".*.creating-*")]  # what killed creations were building
    print(f"\nWorkspace.create kill -9 probe ({mode}): {len(outcomes)} kills, {len(acked)} acknowledged workspaces, "
          f"{len(lost)} lost, {len(broken)} interrupted ones unusable, {len(listed)} listed, {len(scratch)} scratch "
          f"folders left after the next create")
    assert acked and not lost and not broken, (lost[:3], broken[:3])
    assert scratch == []


def test_progress_write_kill_loses_no_acknowledged_record(lab):
    from progress.record import Record

    outcomes = _probe(lab, "progress", seed=1204, trials=TRIALS, low_ms=0, high_ms=400)
    acked = {k for o in outcomes for k in o["acked"]}
    record = Record()
    answered = {a["question_id"].removeprefix("kill-") for a in record.answers() if a["question_id"].startswith("kill")}
    steps = {s.removeprefix("step-") for s in record.lab_steps("kill-lab")}
    lost = (acked - answered) | (acked - steps)
    print(f"\nprogress kill -9 probe: {len(outcomes)} kills, {len(acked)} acknowledged answer + lab-step pairs, "
          f"{len(lost)} lost")
    assert acked and not lost


def _wait_ends(service) -> tuple[BaseException | None, bool]:
    """wait_for_deployment() with no timeout, in a thread: (what it raised, whether it ended within the limit)."""
    outcome: dict = {}

    def wait():
        try:
            service.wait_for_deployment()
        except BaseException as exc:
            outcome["raised"] = exc

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    thread.join(WAIT_LIMIT)
    return outcome.get("raised"), not thread.is_alive()


def test_deploy_kill_leaves_nothing_transitioning(lab, mode):
    from azureml.core import Webservice
    from azureml.exceptions import WebserviceException

    # A child sleeps once its deploy returns, and the probe kills it then: later kills would interrupt nothing.
    outcomes = _probe(lab, "deploy", seed=1205, trials=TRIALS, low_ms=0, high_ms=2500, mode=mode)
    acked = [name for o in outcomes for name in o["acked"]]
    states, hung, lost = {}, [], []
    for outcome in outcomes:
        name = f"kill-svc{TAGS[mode]}-{outcome['trial']}"
        try:
            service = Webservice(lab.ws, name)
        except WebserviceException:
            if name in acked:
                lost.append(name)
            continue  # killed before the service was recorded: nothing to wait for
        raised, ended = _wait_ends(service)
        if not ended:
            hung.append(name)
        service.update_deployment_state()
        states[name] = service.state
        if raised is not None:
            assert isinstance(raised, WebserviceException), repr(raised)
    for name in states:
        Webservice(lab.ws, name).delete()
    left = servers_still_running(lab.home, f"kill-svc{TAGS[mode]}-")
    print(f"\nModel.deploy kill -9 probe ({mode}): {len(outcomes)} kills, {len(acked)} acknowledged, {len(lost)} lost, "
          f"{len(states)} services found, states {sorted(set(states.values()))}, {len(hung)} waits that did not end, "
          f"{len(left)} servers left after delete")
    assert not lost and not hung and not left
    assert set(states.values()) <= {"Healthy", "Unhealthy", "Failed"}
