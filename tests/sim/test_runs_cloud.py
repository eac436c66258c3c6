"""Contract tests of the simulated service itself (sim.cloud experiments, runs, metrics, files, environments).

They call the cloud layer directly, the way the facade, the graders and the Studio page do.
"""

from __future__ import annotations

import pytest

import sim
from tests.sim._runs_helpers import SUB, module_home


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    with module_home(tmp_path_factory, "runscloud") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def record(dp100_home):
    sim.activate()
    from sim.cloud import workspaces
    from tests.sim._runs_helpers import _reuse_store_template

    _reuse_store_template()
    return workspaces.create(SUB, "cloud-rg", "runs-cloud-ws", location="eastus")


def test_experiments_are_created_once_and_archived_softly(record):
    from sim.cloud import experiments

    first = experiments.get_or_create(record, "contract")
    assert experiments.get_or_create(record, "contract") == first
    with pytest.raises(Exception, match="does not exist"):
        experiments.get_or_create(record, "absent", create=False)
    archived = experiments.archive(record, "contract")
    assert archived.archived_time is not None
    assert [e.name for e in experiments.list_experiments(record, view_type="ArchivedOnly")] == ["contract"]
    assert experiments.reactivate(record, first.id).archived_time is None
    with pytest.raises(Exception, match="view_type"):
        experiments.list_experiments(record, view_type="Everything")


def test_run_lifecycle_and_status_mirroring(record):
    from sim.cloud.runs import lifecycle, state, tracking

    row = lifecycle.start(record, "contract")
    assert row["status"] == state.RUNNING and row["number"] >= 1
    assert lifecycle.finish(record, row["run_id"], state.COMPLETED) is True
    assert lifecycle.finish(record, row["run_id"], state.FAILED) is False  # a finished run stays finished
    assert lifecycle.status(record, row["run_id"]) == state.COMPLETED
    assert tracking.get_run(record, row["run_id"]).info.status == "FINISHED"
    queued = lifecycle.start(record, "contract", state.SCRIPT, state.QUEUED)
    assert tracking.get_run(record, queued["run_id"]).info.status == "SCHEDULED"
    lifecycle.finish(record, queued["run_id"], state.CANCELED)
    assert tracking.get_run(record, queued["run_id"]).info.status == "KILLED"


def test_runs_made_with_plain_mlflow_are_adopted(record):
    from mlflow.tracking import MlflowClient

    from sim.cloud import experiments
    from sim.cloud.runs import lifecycle

    experiment_id = experiments.get_or_create(record, "adopted").id
    client = MlflowClient(record.mlflow_uri)
    run = client.create_run(experiment_id)
    client.log_metric(run.info.run_id, "m", 2.5)
    client.set_terminated(run.info.run_id)
    rows = lifecycle.list_runs(record, "adopted")
    assert [r["run_id"] for r in rows] == [run.info.run_id]
    assert lifecycle.status(record, run.info.run_id) == "Completed" and rows[0]["number"] == 1


def test_metric_journal_batches_and_shapes(record):
    from sim.cloud.runs import lifecycle, metrics, tracking

    run_id = lifecycle.start(record, "contract")["run_id"]
    buffer = metrics.MetricJournal(record, run_id)
    for i in range(2500):
        buffer.add("loss", "scalar", 1 / (i + 1))
    buffer.add("one", "scalar", 7)
    buffer.add("row", "row", {"x": 1, "y": "a"})
    buffer.add("row", "row", {"x": 2, "y": "b"})
    assert buffer.pending() == 2503
    assert tracking.client(record).get_metric_history(run_id, "loss") == []  # MLflow's copy waits for a flush
    buffer.flush()
    assert buffer.pending() == 0
    shaped = metrics.get_metrics(record, run_id)
    assert len(shaped["loss"]) == 2500 and shaped["one"] == 7 and shaped["row"] == {"x": [1, 2], "y": ["a", "b"]}
    history = tracking.client(record).get_metric_history(run_id, "loss")
    assert sorted(m.step for m in history) == list(range(2500))


def test_a_read_sees_journaled_values_before_any_flush(record):
    from sim.cloud.runs import lifecycle, metrics, tracking

    run_id = lifecycle.start(record, "contract")["run_id"]
    buffer = metrics.MetricJournal(record, run_id)
    for i in range(30):
        buffer.add("loss", "scalar", i)
    assert buffer.pending() == 30
    assert metrics.get_metrics(record, run_id)["loss"] == list(range(30))  # the reader settles the journal
    assert len(tracking.client(record).get_metric_history(run_id, "loss")) == 30  # and MLflow's copy with it
    assert metrics.get_metrics(record, run_id)["loss"] == list(range(30))  # taken once, however often it is read


def test_run_files_round_trip(record, tmp_path):
    from sim.cloud.runs import files, lifecycle

    run_id = lifecycle.start(record, "contract")["run_id"]
    source = tmp_path / "model.pkl"
    source.write_bytes(b"model")
    files.upload_file(record, run_id, "./outputs/model.pkl", str(source))
    assert files.names(record, run_id) == ["outputs/model.pkl"]
    with pytest.raises(Exception, match="without '..'"):
        files.upload_file(record, run_id, "../escape.txt", str(source))
    copied = files.download_files(record, run_id, "outputs", str(tmp_path / "out"))
    assert [p.endswith("out/outputs/model.pkl") for p in copied] == [True]


def test_environment_registry_keeps_versions(record):
    from sim.cloud import environments

    definition = {"name": "contract-env", "python": {"condaDependencies": {"dependencies": ["python=3.8"]}}}
    assert environments.register(record, definition)["version"] == "1"
    assert environments.register(record, definition)["version"] == "1"
    changed = dict(definition, environmentVariables={"A": "1"})
    assert environments.register(record, changed)["version"] == "2"
    assert environments.versions(record, "contract-env") == ["1", "2"]
    assert environments.get(record, "contract-env", "1")["python"] == definition["python"]
    assert "AzureML-Minimal" in environments.list_latest(record)
    with pytest.raises(Exception, match="curated"):
        environments.register(record, {"name": "AzureML-Minimal"})


def test_unknown_compute_is_refused_before_any_run(record):
    from sim.cloud.runs import jobs

    with pytest.raises(Exception, match="ComputeTargetNotFound"):
        jobs.resolve_target(record, "ghost-cluster")
    assert jobs.resolve_target(record, None) == ("local", None)
