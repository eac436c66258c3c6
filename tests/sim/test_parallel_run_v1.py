"""ParallelRunStep (SDK v1 batch inference): init() once per worker, run(mini_batch) over the files or rows of the
inputs, results appended to parallel_run_step.txt, error_threshold honoured, the step's output downloadable."""

from __future__ import annotations

import pytest

from tests.sim._data_helpers import new_workspace

pytestmark = pytest.mark.usefixtures("sim_active")
SCORE = """
import os
def init():
    global factor
    factor = 10
def run(mini_batch):
    rows = []
    for path in mini_batch:
        text = open(path).read().strip()
        if text == "bad":
            raise ValueError("cannot score " + os.path.basename(path))
        rows.append(f"{os.path.basename(path)}: {int(text) * factor}")
    return rows
"""
SCORE_ROWS = """
def init():
    pass
def run(mini_batch):
    return mini_batch.assign(double=mini_batch["value"] * 2)
"""
SCORE_BROKEN_INIT = """
def init():
    raise RuntimeError("the model file is missing")
def run(mini_batch):
    return mini_batch
"""


@pytest.fixture
def batch_parts(tmp_path):
    """A workspace with 20 one-number files registered as a FileDataset, and the scoring scripts."""
    from azureml.core import Dataset

    ws = new_workspace("parallel-ws")
    files = tmp_path / "batch-data"
    files.mkdir()
    for n in range(20):
        (files / f"{n:02d}.csv").write_text(str(n))
    store = ws.get_default_datastore()
    store.upload(src_dir=str(files), target_path="batch-data", show_progress=False)
    data = Dataset.File.from_files(path=(store, "batch-data/")).register(ws, "batch-data")
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "score.py").write_text(SCORE)
    (scripts / "score_rows.py").write_text(SCORE_ROWS)
    (scripts / "score_broken_init.py").write_text(SCORE_BROKEN_INIT)
    return ws, store, data, scripts


def _run(ws, scripts, inputs, entry="score.py", error_threshold=10, output_action="append_row", batch="5",
         timeout_seconds=9223372036854775807):
    from azureml.core import Environment, Experiment
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

    config = ParallelRunConfig(source_directory=str(scripts), entry_script=entry, mini_batch_size=batch,
                               error_threshold=error_threshold, output_action=output_action,
                               environment=Environment("batch-env"), compute_target="local", node_count=1,
                               process_count_per_node=2)
    step = ParallelRunStep(name="batch-score", parallel_run_config=config, inputs=inputs,
                           output=OutputFileDatasetConfig(name="inferences"), allow_reuse=False)
    run = Experiment(ws, "parallel").submit(Pipeline(workspace=ws, steps=[step]))
    return run, run.wait_for_completion(show_output=False, timeout_seconds=timeout_seconds, raise_on_error=False)


def _results(run, tmp_path):
    step = next(run.get_children())
    folder = step.get_output_data("inferences").download(local_path=str(tmp_path / "results"))
    return sorted((tmp_path / "results").rglob("parallel_run_step.txt")), folder


def test_every_file_is_scored_once_and_results_appended(batch_parts, tmp_path):
    ws, _, data, scripts = batch_parts
    run, status = _run(ws, scripts, [data.as_named_input("numbers")])
    assert status == "Completed"
    [result], _ = _results(run, tmp_path)
    lines = result.read_text().splitlines()
    assert sorted(lines) == sorted(f"{n:02d}.csv: {n * 10}" for n in range(20))


def test_failures_within_the_threshold_are_tolerated_beyond_it_fail(batch_parts, tmp_path):
    ws, store, _, scripts = batch_parts
    from azureml.core import Dataset

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "99.csv").write_text("bad")
    store.upload(src_dir=str(bad), target_path="batch-data", show_progress=False)
    data = Dataset.File.from_files(path=(store, "batch-data/"))
    tolerated, status = _run(ws, scripts, [data.as_named_input("numbers")], error_threshold=5, batch="1")
    assert status == "Completed"  # one file failed, five tolerated
    [result], _ = _results(tolerated, tmp_path)
    assert len(result.read_text().splitlines()) == 20
    _, status = _run(ws, scripts, [data.as_named_input("numbers")], error_threshold=4, batch="7")
    assert status == "Failed"  # the bad file's mini-batch (14.csv to 19.csv and 99.csv) failed: 7 items, over 4


def test_an_init_that_raises_fails_the_step_with_its_traceback(batch_parts):
    ws, _, data, scripts = batch_parts
    run, status = _run(ws, scripts, [data.as_named_input("numbers")], entry="score_broken_init.py",
                       timeout_seconds=180)
    if status not in ("Completed", "Failed", "Canceled"):  # the pool restarted its workers for ever (the old bug)
        for step in run.get_children():
            step.cancel()  # leave nothing running
        run.cancel()
    assert status == "Failed"
    step = next(run.get_children())
    log = "\n".join(step.get_details_with_logs()["logFiles"].values())
    assert "RuntimeError: the model file is missing" in log
    assert "score_broken_init.py failed to start in a worker process" in log
    assert "failed to start in a worker process" in step.get_details()["error"]["error"]["message"]
    assert log.count("RuntimeError: the model file is missing") <= 2 * 2  # each of the 2 workers once, not a loop


def test_summary_only_writes_no_result_file(batch_parts, tmp_path):
    ws, _, data, scripts = batch_parts
    run, status = _run(ws, scripts, [data.as_named_input("numbers")], output_action="summary_only")
    assert status == "Completed"
    assert _results(run, tmp_path)[0] == []


def test_tabular_input_is_split_into_rows(batch_parts, tmp_path):
    import pandas as pd
    from azureml.core import Dataset

    ws, store, _, scripts = batch_parts
    table = tmp_path / "table"
    table.mkdir()
    pd.DataFrame({"value": range(50)}).to_csv(table / "values.csv", index=False)
    store.upload(src_dir=str(table), target_path="table", show_progress=False)
    rows = Dataset.Tabular.from_delimited_files(path=(store, "table/values.csv"))
    run, status = _run(ws, scripts, [rows.as_named_input("values")], entry="score_rows.py", batch="200")
    assert status == "Completed"
    [result], _ = _results(run, tmp_path)
    assert sorted(result.read_text().splitlines(), key=lambda r: int(r.split()[0])) == [
        f"{v} {v * 2}" for v in range(50)]


def test_bad_settings_are_refused_when_configured():
    from azureml.core import Environment
    from azureml.pipeline.steps import ParallelRunConfig

    with pytest.raises(ValueError, match="append_row"):
        ParallelRunConfig(environment=Environment("e"), entry_script="s.py", error_threshold=1,
                          output_action="write_all", compute_target="local", node_count=1)
