"""The Studio's Data tab lists the dataset monitors and charts a monitor's drift magnitude per period and the latest
period's contribution by feature, in the learner's language."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.ui.test_studio_page import studio, workspace  # noqa: F401 - the shared workspace fixture


@pytest.fixture
def monitored(workspace, tmp_path, monkeypatch):  # noqa: F811
    """A monitor with two weekly results kept by the service (the drift engine itself is tested in tests/sim)."""
    from sim.azureml.core import Dataset
    from sim.cloud.datadrift import monitors, results

    monkeypatch.chdir(tmp_path)
    pd.DataFrame({"Age": [30, 40, 50], "BMI": [20.0, 25.0, 30.0]}).to_csv("base.csv", index=False)
    store = workspace.get_default_datastore()
    store.upload_files(["base.csv"], target_path="drift", overwrite=True, show_progress=False)
    data = Dataset.Tabular.from_delimited_files(path=(store, "drift/base.csv"))
    baseline = data.register(workspace, "drift baseline")
    target = data.with_timestamp_columns("Age").register(workspace, "drift target")
    monitor = monitors.create(workspace._record, "diabetes-drift", baseline.id, target.id, "cpu-cluster",
                              monitors.check_settings("Week", 0.3))
    for week, coefficient in ((1, 0.12), (2, 0.64)):
        start = dt.datetime(2026, 11, 1) + dt.timedelta(weeks=week)
        found = {"coefficient": coefficient,
                 "columns": {"Age": {"datadrift_contribution": 80.0, "wasserstein_distance": 9.5},
                             "BMI": {"datadrift_contribution": 20.0, "wasserstein_distance": 0.4}}}
        results.add(workspace._record, monitor, "run-1", start, start + dt.timedelta(weeks=1), found, 100)
    return monitor


def _table(at, column: str) -> pd.DataFrame:
    (found,) = [df.value for df in at.dataframe if column in df.value.columns]
    return found


def test_the_data_tab_lists_monitors_and_charts_the_chosen_one(monitored):
    at = studio()
    assert not at.exception
    monitors = _table(at, "Baseline dataset")
    assert monitors.iloc[0]["Name"] == "diabetes-drift" and monitors.iloc[0]["Periods analysed"] == 2
    assert monitors.iloc[0]["Threshold (%)"] == 30.0
    features = _table(at, "Drift contribution (%)")
    assert list(features["Feature"]) == ["Age", "BMI"]
    captions = " ".join(c.value for c in at.caption)
    assert "Periods above the 30% threshold: 2026-11-15" in captions
    assert "Drift contribution by feature (2026-11-15)" in " ".join(m.value for m in at.markdown)


def test_the_monitor_view_speaks_portuguese(monitored):
    at = studio()
    at.session_state["lang"] = "pt-BR"
    at.run()
    assert not at.exception
    assert "Dataset de linha de base" in _table(at, "Dataset de linha de base").columns
    assert "Períodos acima do limite de 30%" in " ".join(c.value for c in at.caption)


def test_without_monitors_the_tab_says_how_to_make_one(workspace):  # noqa: F811
    at = studio()
    assert not at.exception
    assert any("DataDriftDetector.create_from_datasets" in c.value for c in at.caption)
