"""The metric journal and MLflow's derived copy (sim.cloud.runs.journal, sim.cloud.runs.mirror): each journaled
value is taken exactly once however many processes take at once, a write that never returned is left out, a value
JSON cannot hold is refused with a sentence, and an older state.db gains the step column."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

import sim
from tests.sim._runs_helpers import SUB, module_home


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    with module_home(tmp_path_factory, "journal") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def record(dp100_home):
    sim.activate()
    from sim.cloud import workspaces
    from tests.sim._runs_helpers import _reuse_store_template

    _reuse_store_template()
    return workspaces.create(SUB, "journal-rg", "journal-ws", location="eastus")


def _new_run(record) -> str:
    from sim.cloud.runs import lifecycle

    return lifecycle.start(record, "journal")["run_id"]


def test_concurrent_readers_take_each_value_once(record):
    from sim.cloud.runs import journal, metrics

    run_id = _new_run(record)
    writer = metrics.MetricJournal(record, run_id)
    stop, errors, taken = threading.Event(), [], []

    def read_until_stopped():
        try:
            while not stop.is_set():
                taken.append(journal.settle(record, run_id))
        except Exception as exc:  # a reader that fails is a finding: it is reported, not lost in its thread
            errors.append(exc)

    readers = [threading.Thread(target=read_until_stopped) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for i in range(2000):
            writer.add("value", "scalar", i)
    finally:
        stop.set()
        for reader in readers:
            reader.join(60)
    assert errors == []
    assert sum(taken) > 0  # the readers did take values while the writer logged
    assert metrics.get_metrics(record, run_id)["value"] == list(range(2000))


def test_a_line_without_its_newline_was_never_acknowledged(record):
    from sim.cloud.runs import journal, metrics

    run_id = _new_run(record)
    folder = journal.run_folder(record, run_id)
    folder.mkdir(parents=True)
    # The file of a process that has ended (pid 1 never names a logger: its start time will not match).
    dead = folder / "1-0-deadbeef.jsonl"
    dead.write_bytes(journal.encode("loss", "scalar", 0.5, 1.0, 0) + b'["loss", "scalar", 0.2')
    assert metrics.get_metrics(record, run_id) == {"loss": 0.5}
    assert not dead.exists()  # everything acknowledged in it was taken, and its writer has ended


def test_a_value_json_cannot_hold_is_refused_with_a_sentence(record):
    from sim.cloud.errors import UserError
    from sim.cloud.runs import metrics

    writer = metrics.MetricJournal(record, _new_run(record))
    with pytest.raises(UserError, match="Cannot log metric 'when': the value cannot be stored as JSON"):
        writer.add("when", "row", {"at": object()})
    writer.add("fine", "scalar", 1)  # the journal goes on after a refused value
    writer.close()


def test_mlflow_copy_keeps_steps_and_skips_rows_it_already_holds(record):
    from sim.cloud.runs import metrics, mirror, tracking

    run_id = _new_run(record)
    writer = metrics.MetricJournal(record, run_id)
    for value, step in ((0.9, 10), (0.8, 20), (0.7, None)):
        writer.add("loss", "scalar", value, step)
    writer.flush()
    mirror._advance(record, run_id, 0)  # as if killed before the watermark moved: the copy is sent again
    with mirror._engine(record).begin() as conn:
        conn.execute(mirror.mirrored.update().where(mirror.mirrored.c.run_id == run_id).values(upto=0))
    assert mirror.copy_to_mlflow(record, run_id) == 3
    history = sorted(tracking.client(record).get_metric_history(run_id, "loss"), key=lambda m: m.step)
    assert [(m.value, m.step) for m in history] == [(0.9, 10), (0.8, 20), (0.7, 21)]
    assert not mirror.behind(record, run_id)


def test_an_older_state_db_gains_the_step_column(record, tmp_path):
    from sqlalchemy import create_engine, inspect

    from sim.cloud.runs import state

    old = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with old.begin() as conn:
        conn.execute(text("CREATE TABLE run_metrics (id INTEGER PRIMARY KEY, run_id VARCHAR NOT NULL, "
                          "name VARCHAR NOT NULL, kind VARCHAR NOT NULL, value JSON, logged FLOAT NOT NULL)"))
    state._add_missing_columns(old)
    state._add_missing_columns(old)  # a second process doing the same finds it there
    assert "step" in {c["name"] for c in inspect(old).get_columns("run_metrics")}
