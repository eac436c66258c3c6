"""The Responsible AI stand-in components' scripts run as Azure runs a registry component's code: a process in the
code folder with the inputs on its command line. What the pipeline tests do not reach: MLTable forms, and the
refusals a learner sees in the job's log."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cloud import registry

CODE = registry.code_folder(registry.CODE_ID)


def _run(script: str, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, script, *arguments], cwd=CODE, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def inputs(tmp_path):
    """A logistic-regression MLflow model and two MLTable folders: CSV without a header row, and Parquet files."""
    import mlflow
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(size=120)})
    frame["label"] = (frame.a + 0.1 * frame.b > 0).astype(int)
    model = LogisticRegression().fit(frame[["a", "b"]].to_numpy(), frame.label)
    mlflow.sklearn.save_model(model, tmp_path / "model" / "model", serialization_format="cloudpickle")
    (tmp_path / "train").mkdir()
    frame.to_csv(tmp_path / "train" / "rows.csv", index=False, header=False)
    (tmp_path / "train" / "MLTable").write_text(
        "paths:\n  - folder: .\ntransformations:\n  - read_delimited:\n      delimiter: ','\n      header: no_header\n")
    (tmp_path / "test").mkdir()
    frame.iloc[:60].to_parquet(tmp_path / "test" / "part-0.parquet")
    frame.iloc[60:].to_parquet(tmp_path / "test" / "part-1.parquet")
    (tmp_path / "test" / "MLTable").write_text("paths:\n  - pattern: ./part-*.parquet\ntransformations:\n"
                                               "  - read_parquet\n")
    return tmp_path


def _construct(inputs: Path, out: str, train: str = "train", target: str = "label") -> subprocess.CompletedProcess:
    return _run("constructor.py", "--title", "t", "--task_type", "classification", "--model_input",
                str(inputs / "model"), "--train_dataset", str(inputs / train), "--test_dataset", str(inputs / "test"),
                "--target_column_name", target, "--output_path", str(inputs / out),
                "--model_info_output_path", str(inputs / f"{out}-info"))


def test_a_headerless_csv_mltable_is_refused_for_its_missing_target_column(inputs):
    done = _construct(inputs, "board")
    assert done.returncode == 1
    assert "train_dataset has no column 'label'" in done.stderr  # headerless columns are named 0, 1, 2


def test_the_constructor_scores_the_test_rows_and_gather_refuses_another_dashboards_insight(inputs):
    (inputs / "train" / "MLTable").write_text("paths:\n  - file: ./rows.csv\ntransformations:\n  - read_delimited\n")
    pd.read_parquet(inputs / "test" / "part-0.parquet").to_csv(inputs / "train" / "rows.csv", index=False)
    assert _construct(inputs, "board").returncode == 0
    assert _construct(inputs, "other").returncode == 0
    meta = json.loads((inputs / "board" / "rai_insights.json").read_text())
    assert meta["features"] == ["a", "b"] and meta["classes"] == [0, 1] and meta["test_rows"] == 120
    explained = _run("explanation.py", "--rai_insights_dashboard", str(inputs / "board"), "--comment", "c",
                     "--explanation_path", str(inputs / "explained"))
    assert explained.returncode == 0, explained.stderr
    ranked = json.loads((inputs / "explained" / "explanation.json").read_text())["global_importance"]
    assert [row["feature"] for row in ranked] == ["a", "b"]  # the label is mostly a
    foreign = _run("error_analysis.py", "--rai_insights_dashboard", str(inputs / "other"), "--error_analysis_path",
                   str(inputs / "foreign-errors"))
    assert foreign.returncode == 0, foreign.stderr
    gathered = _run("gather.py", "--constructor", str(inputs / "board"), "--insight_1", str(inputs / "explained"),
                    "--insight_2", str(inputs / "foreign-errors"), "--dashboard", str(inputs / "dash"),
                    "--ux_json", str(inputs / "ux"))
    assert gathered.returncode == 1
    assert "computed on another dashboard" in gathered.stderr
