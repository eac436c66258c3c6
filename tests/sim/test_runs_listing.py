"""Run listings at scale: set-based reads a page at a time, lazy get_runs(), the batch path, indexes on old files.

Speed itself is measured by bench/bench_runs_scale.py; these tests pin the behaviour that makes it fast (queries
counted, no run loaded one by one) and that the listings still say what they said before.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

import sim
from tests.sim._runs_helpers import module_home, new_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    with module_home(tmp_path_factory, "runlisting") as (_home, _work):
        sim.activate()
        yield new_workspace("run-listing-ws")


@pytest.fixture(scope="module")
def big(ws):
    """An experiment of 250 runs: one made through the SDK (oldest), 249 through the service's batch path."""
    from azureml.core import Experiment

    from sim.cloud.runs import batch, state

    experiment = Experiment(ws, "big")
    run = experiment.start_logging()
    run.log("accuracy", 0.9)
    run.complete()
    tags = [{"fold": str(i % 3)} for i in range(249)]
    batch.start_many(ws._record, "big", 249, status=state.COMPLETED, tags=tags)
    return experiment


class QueryCounter:
    """Counts the SELECTs on a workspace's service tables that read run records."""

    def __init__(self, record):
        from sim.cloud.runs import state

        self.engine, self.pages = state.engine(record), 0

    def _seen(self, conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "FROM run_records" in statement \
                and "count(" not in statement:
            self.pages += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._seen)


def test_get_runs_yields_the_first_run_before_reading_the_rest(ws, big):
    with QueryCounter(ws._record) as counter:
        runs = big.get_runs()
        first = next(runs)
        assert counter.pages == 1  # one page of 100 records read, not 250
        assert first.number == 250
        rest = list(runs)
        assert counter.pages == 3  # 100 + 100 + 50
    numbers = [first.number, *(r.number for r in rest)]
    assert numbers == list(range(250, 0, -1))  # newest first, every run once


def test_listing_loads_no_run_one_by_one(ws, big, monkeypatch):
    from mlflow.tracking import MlflowClient

    from sim.cloud.runs import state

    loads = []
    original = MlflowClient.get_run
    monkeypatch.setattr(MlflowClient, "get_run", lambda self, run_id: loads.append(run_id) or original(self, run_id))
    got = state.get
    gets = []
    monkeypatch.setattr(state, "get", lambda record, run_id: gets.append(run_id) or got(record, run_id))
    assert len(list(big.get_runs(tags={"fold": "1"}))) == 83
    assert loads == [] and gets == []


def test_get_runs_filters_by_type_tags_properties_and_children(ws, big):
    from azureml.core import Experiment

    experiment = Experiment(ws, "filters")
    parent = experiment.start_logging()
    parent.tag("stage", "tuning")
    parent.add_properties({"owner": "learner"})
    children = parent.create_children(tag_key="fold", tag_values=["a", "b"])
    parent.complete()
    other = experiment.start_logging()
    other.complete()
    assert [r.id for r in experiment.get_runs()] == [other.id, parent.id]
    assert [r.id for r in experiment.get_runs(tags={"stage": "tuning"})] == [parent.id]
    assert [r.id for r in experiment.get_runs(tags="stage")] == [parent.id]
    assert [r.id for r in experiment.get_runs(properties={"owner": "learner"})] == [parent.id]
    assert [r.id for r in experiment.get_runs(type="azureml.scriptrun")] == []
    listed = [r.id for r in experiment.get_runs(include_children=True, tags={"fold": "b"})]
    assert listed == [children[1].id]
    assert [c.id for c in parent.get_children(tags={"fold": "a"})] == [children[0].id]
    assert [c.get_tags() for c in parent.get_children()] == [{"fold": "a"}, {"fold": "b"}]


def test_create_children_is_one_batch_numbered_after_the_parent(ws):
    from azureml.core import Experiment

    from sim.cloud.runs import tracking

    parent = Experiment(ws, "batch").start_logging()
    children = parent.create_children(count=3)
    assert [c.number for c in children] == [parent.number + 1, parent.number + 2, parent.number + 3]
    assert all(c.get_status() == "Running" and c.parent.id == parent.id for c in children)
    mlflow_run = tracking.get_run(ws._record, children[0].id)
    assert mlflow_run.data.tags["mlflow.parentRunId"] == parent.id and mlflow_run.info.status == "RUNNING"
    children[0].log("loss", 0.5)
    children[0].complete()
    assert children[0].get_metrics() == {"loss": 0.5} and children[0].get_status() == "Completed"
    assert parent.create_children(count=0) == []


def test_a_batch_of_a_wrong_size_is_refused_with_what_to_do(ws):
    from sim.cloud.errors import UserError
    from sim.cloud.runs import batch

    with pytest.raises(UserError, match="1 to 10000 runs.*several batches"):
        batch.start_many(ws._record, "batch", 10_001)
    with pytest.raises(UserError, match="one set of tags per run"):
        batch.start_many(ws._record, "batch", 2, tags=[{}])


def test_studio_counts_and_pages_runs(ws, big):
    from sim import studio

    counts = {r["name"]: r["runs"] for r in studio.experiment_rows(ws)}
    assert counts["big"] == 250
    first = studio.run_page(ws, "big", 1)
    assert (first["page"], first["pages"], first["total"]) == (1, 5, 250)
    assert [r["number"] for r in first["rows"]] == list(range(250, 200, -1))
    last = studio.run_page(ws, "big", 99)  # past the end: the last page
    assert (last["page"], [r["number"] for r in last["rows"]]) == (5, list(range(50, 0, -1)))
    oldest_id = studio.run_page(ws, "big", 5)["rows"][-1]["id"]
    assert studio.run_page(ws, "big", 1, holding=oldest_id)["page"] == 5  # the page that lists an open run
    assert studio.run_page(ws, "big", 2, holding="not-a-run")["page"] == 2
    every = studio.run_rows(ws, "big")
    assert every[:50] == first["rows"] and every[-50:] == last["rows"]
    oldest = every[-1]
    assert (oldest["type"], oldest["status"], oldest["target"]) == ("interactive", "Completed", "local")


def test_a_run_ended_with_mlflow_shows_as_completed_in_a_page(ws):
    from azureml.core import Experiment

    from sim import studio
    from sim.cloud.runs import tracking

    run = Experiment(ws, "ended-by-mlflow").start_logging()
    tracking.client(ws._record).set_terminated(run.id)  # as mlflow.end_run() in the learner's code
    row = studio.run_page(ws, "ended-by-mlflow")["rows"][0]
    assert row["status"] == "Completed" and row["duration"]


def test_an_existing_state_db_gets_the_new_indexes_when_opened(tmp_path):
    import sqlite3

    from sqlalchemy import create_engine

    from sim.cloud import store
    from sim.cloud.runs import state

    path = tmp_path / "state.db"
    old = create_engine(f"sqlite:///{path}")
    state.run_records.create(old)  # the table as it is now, then its new indexes dropped: an older file
    with sqlite3.connect(path) as conn:
        found = "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_run_%'"
        indexes = conn.execute(found).fetchall()
        for (name,) in indexes:
            conn.execute(f"DROP INDEX {name}")
    old.dispose()
    store.ensure(state.metadata, store.engine_for_path(path, "old-file"))
    with sqlite3.connect(path) as conn:
        names = {row[1] for row in conn.execute("PRAGMA index_list('run_records')")}
    assert {"ix_run_records_experiment_created", "ix_run_records_experiment_number",
            "ix_run_records_created"} <= names
    store.dispose(path)


def test_list_by_compute_reads_where_each_run_ran(ws):
    from types import SimpleNamespace

    from azureml.core import Run

    from sim.cloud.runs import lifecycle, state

    on_cluster = lifecycle.start(ws._record, "on-compute", state.SCRIPT, state.QUEUED, target="gpu-cluster")
    lifecycle.finish(ws._record, on_cluster["run_id"], state.COMPLETED)
    lifecycle.start(ws._record, "on-compute")  # a local run
    cluster = SimpleNamespace(workspace=ws, name="gpu-cluster")  # what list_by_compute reads of a ComputeTarget
    assert [r.id for r in Run.list_by_compute(cluster)] == [on_cluster["run_id"]]
