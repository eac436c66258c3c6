"""Data drift monitoring as mslearn-dp100 notebook 17 uses it: `azureml.datadrift.DataDriftDetector` comparing a
baseline with a timestamped target on a compute cluster, the drift measured from the data itself."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest

from sim.cloud.datadrift import drift
from tests.sim._data_helpers import diabetes_frame
from tests.sim._runs_helpers import module_home, new_workspace

FEATURES = ["Pregnancies", "Age", "BMI"]
WEEKS = {3: 1.0, 2: 1.0, 1: 1.5, 0: 1.5}  # weeks ago -> Age factor: the last two weeks drift in Age only


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    """One DP100_HOME for the module (overrides the per-test one): drift drivers find the workspace through it."""
    with module_home(tmp_path_factory, "drift") as (home, work):
        yield home, work


@pytest.fixture(scope="module")
def drift_ws(dp100_home, sim_active):
    from azureml.core import Dataset
    from azureml.core.compute import AmlCompute, ComputeTarget

    work = dp100_home[1]
    ws = new_workspace("ws-drift")
    ComputeTarget.create(ws, "drift-cluster", AmlCompute.provisioning_configuration(
        vm_size="STANDARD_DS11_V2", max_nodes=1)).wait_for_completion()
    store = ws.get_default_datastore()
    diabetes_frame(800, 5).to_csv(work / "baseline.csv", index=False)
    store.upload_files(["baseline.csv"], target_path="drift-baseline", overwrite=True, show_progress=False)
    baseline = Dataset.Tabular.from_delimited_files(path=(store, "drift-baseline/*.csv")).register(
        ws, "drift baseline", create_new_version=True)
    store.upload_files(_weekly_files(work), target_path="drift-target", overwrite=True, show_progress=False)
    target = Dataset.Tabular.from_delimited_files(
        path=(store, "drift-target/*.csv"), partition_format="drift-target/week_{date:yyyy-MM-dd}.csv")
    target = target.with_timestamp_columns("date").register(ws, "drift target", create_new_version=True)
    yield ws, baseline, target


def _weekly_files(work) -> list[str]:
    paths = []
    for ago, factor in WEEKS.items():
        week = diabetes_frame(300, 10 + ago)
        week["Age"] = (week["Age"] * factor).round().astype(int)
        path = work / f"week_{dt.date.today() - dt.timedelta(weeks=ago):%Y-%m-%d}.csv"
        week.to_csv(path, index=False)
        paths.append(str(path))
    return paths


@pytest.fixture(scope="module")
def backfilled(drift_ws):
    from azureml.datadrift import DataDriftDetector

    ws, baseline, target = drift_ws
    monitor = DataDriftDetector.create_from_datasets(ws, "lab-drift", baseline, target, compute_target="drift-cluster",
                                                     frequency="Week", feature_list=FEATURES, drift_threshold=0.3,
                                                     latency=24)
    run = monitor.backfill(dt.datetime.now() - dt.timedelta(weeks=4), dt.datetime.now())
    run.wait_for_completion()
    return monitor, run


def test_backfill_is_a_completed_run_on_the_cluster_with_the_service_metrics(backfilled):
    monitor, run = backfilled
    assert run.get_status() == "Completed"
    assert run.experiment.name == monitor._monitor.id
    assert run.get_details()["target"] == "drift-cluster"
    metrics = run.get_metrics()
    assert metrics["frequency"] == "Week"
    table = metrics["Datadrift percentage"]
    assert table["days_from_start"] == [7, 14, 21, 28]  # the first week of the window holds no target rows
    assert table["drift_percentage"][2] > 30 > table["drift_percentage"][0]
    assert "logs/datadrift.txt" in run.get_file_names()


def test_get_output_names_the_drifted_feature_and_the_periods_over_the_threshold(backfilled):
    monitor, run = backfilled
    results, metrics = monitor.get_output(run_id=run.id)
    periods = results[0]["result"]
    assert results[0]["drift_type"] == "DatasetBased" and len(periods) == 4
    assert [p["has_drift"] for p in periods] == [False, False, True, True]
    last = metrics[0]["metrics"][-1]
    assert last["dataset_metrics"][0]["name"] == "datadrift_coefficient" and last["dataset_metrics"][0]["value"] > 0.3
    columns = {name: {m["name"]: m["value"] for m in values}
               for c in last["column_metrics"] for name, values in c.items()}
    assert max(columns, key=lambda f: columns[f]["datadrift_contribution"]) == "Age"
    assert columns["Age"]["wasserstein_distance"] > 10 > columns["BMI"]["wasserstein_distance"]
    assert monitor.get_output() == (results, metrics)  # the default window (the last ten weeks) holds them too


def test_a_single_run_compares_one_period(backfilled):
    monitor, _ = backfilled
    run = monitor.run(dt.datetime.now() - dt.timedelta(days=1), drift_threshold=0.9)
    run.wait_for_completion()
    results, _ = monitor.get_output(run_id=run.id)
    (period,) = results[0]["result"]
    assert period["drift_threshold"] == 0.9 and period["has_drift"] is False


def test_detector_is_found_again_and_listed(backfilled, drift_ws):
    from azureml.datadrift import DataDriftDetector

    ws, baseline, _ = drift_ws
    found = DataDriftDetector.get_by_name(ws, "lab-drift")
    assert (found.frequency, found.feature_list, found.drift_threshold, found.latency) == ("Week", FEATURES, 0.3, 24)
    assert found.compute_target.name == "drift-cluster" and found.state == "Disabled"
    assert found.baseline_dataset.name == "drift baseline" and found.drift_type == "DatasetBased"
    assert [d.name for d in DataDriftDetector.list(ws, baseline_dataset=baseline)] == ["lab-drift"]
    assert "name='lab-drift'" in repr(found)


def test_show_draws_the_magnitude_and_the_contributions(backfilled):
    charts = backfilled[0].show()
    assert set(charts) == {"Data drift magnitude", "Drift contribution by feature"}


def test_schedule_and_delete(drift_ws):
    from azureml.datadrift import AlertConfiguration, DataDriftDetector

    ws, baseline, target = drift_ws
    monitor = DataDriftDetector.create_from_datasets(ws, "scheduled", baseline, target, "drift-cluster",
                                                     alert_config=AlertConfiguration(["ds@contoso.com"]))
    with pytest.warns(UserWarning, match="not simulated"):
        monitor.enable_schedule()
    assert monitor.enabled and monitor.schedule_start is not None
    assert monitor.alert_config.email_addresses == ["ds@contoso.com"] and monitor.frequency == "Week"
    monitor.update(drift_threshold=0.5)
    assert DataDriftDetector.get_by_name(ws, "scheduled").drift_threshold == 0.5
    monitor.delete()
    with pytest.raises(Exception, match="No data drift monitor named 'scheduled'"):
        DataDriftDetector.get_by_name(ws, "scheduled")


def test_bad_input_is_named(drift_ws, backfilled):
    from azureml.core.compute_target import ComputeTargetException
    from azureml.datadrift import DataDriftDetector

    ws, baseline, target = drift_ws
    with pytest.raises(ValueError, match="no timestamp column"):
        DataDriftDetector.create_from_datasets(ws, "x1", baseline, baseline)
    with pytest.raises(TypeError, match="must be a TabularDataset"):
        DataDriftDetector.create_from_datasets(ws, "x2", "baseline.csv", target)
    with pytest.raises(Exception, match="'Day', 'Week' or 'Month'"):
        DataDriftDetector.create_from_datasets(ws, "x3", baseline, target, frequency="Hour")
    with pytest.raises(Exception, match="already exists"):
        DataDriftDetector.create_from_datasets(ws, "lab-drift", baseline, target)
    monitor = backfilled[0]
    with pytest.raises(TypeError, match="datetime.datetime"):
        monitor.backfill("2024-01-01", dt.datetime.now())
    with pytest.raises(ComputeTargetException, match="Compute target is not available. Name: nowhere"):
        monitor.backfill(dt.datetime.now() - dt.timedelta(weeks=1), dt.datetime.now(), compute_target="nowhere")
    with pytest.raises(ValueError, match="Either run_id or start_time/end_time"):
        monitor.get_output(start_time=dt.datetime.now(), run_id="abc")


def test_a_feature_missing_from_the_target_fails_the_run_with_a_reason(drift_ws):
    from azureml.datadrift import DataDriftDetector

    ws, baseline, target = drift_ws
    monitor = DataDriftDetector.create_from_datasets(ws, "bad-features", baseline, target, "drift-cluster",
                                                     feature_list=["Height"])
    run = monitor.backfill(dt.datetime.now() - dt.timedelta(weeks=1), dt.datetime.now())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run.wait_for_completion(raise_on_error=False)
    assert run.get_status() == "Failed"
    assert "Height" in run.get_details()["error"]["error"]["message"]


def test_drift_coefficient_is_low_for_the_same_distribution_and_high_for_a_shifted_one():
    rng = np.random.default_rng(0)
    base = pd.DataFrame({"x": rng.normal(0, 1, 1500), "color": rng.choice(["red", "blue"], 1500)})
    same = pd.DataFrame({"x": rng.normal(0, 1, 800), "color": rng.choice(["red", "blue"], 800)})
    moved = pd.DataFrame({"x": rng.normal(2, 1, 800), "color": rng.choice(["red", "blue"], 800, p=[0.9, 0.1])})
    assert drift.compare(base, same, ["x", "color"])["coefficient"] < 0.15
    shifted = drift.compare(base, moved, ["x", "color"])
    assert shifted["coefficient"] > 0.6
    assert shifted["columns"]["x"]["wasserstein_distance"] == pytest.approx(2.0, abs=0.2)
    assert shifted["columns"]["color"]["jensen_shannon_distance"] > 0.2


def test_alert_configuration_and_metric_refuse_what_they_cannot_hold(sim_active):
    from azureml.datadrift import AlertConfiguration, Metric, MetricType

    assert AlertConfiguration("ops@contoso.com").email_addresses == ["ops@contoso.com"]
    with pytest.raises(TypeError, match="list of email addresses"):
        AlertConfiguration(42)
    metric = Metric("wasserstein_distance", 0.4, {"column_name": "Age"})
    metric.add_extended_properties({"metric_type": MetricType.column.name})
    assert metric.get_extended_properties() == {"column_name": "Age", "metric_type": "column"}
    with pytest.raises(TypeError, match="Extended property 'k'"):
        metric.validate_extended_properties_type("k", [1])
