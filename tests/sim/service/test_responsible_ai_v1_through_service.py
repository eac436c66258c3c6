"""SDK v1 responsible AI in process mode: data drift monitors, model explanations and fairness dashboards reach
`sim.cloud` only through the service. The service runs a backfill itself (reading the registered datasets), and an
explanation or a dashboard travels as JSON text. This process is then forbidden its own view of the state
(`DP100_STATE_HIDDEN`, as in a sandbox that hides the home), so any direct state access would fail the test."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import sim.cloud.datadrift.engine
import sim.cloud.datadrift.results
import sim.cloud.runs.assessments
from sim.azureml._common.cloud import NotRouted, cloud
from sim.cloud import store
from sim.service import calls
from tests.sim._data_helpers import diabetes_frame

SUB = "00000000-0000-0000-0000-000000000000"
FEATURES = ["Pregnancies", "Age", "BMI"]
AGE_FACTOR = {3: 1.0, 2: 1.0, 1: 1.6, 0: 1.6}  # weeks ago -> Age factor: the last two weeks drift in Age only

pytestmark = pytest.mark.usefixtures("sim_active")  # tests/sim/conftest.py: the simulator's hooks


def _workspace():
    from azureml.core import Workspace

    return Workspace.create("mlw-rai", subscription_id=SUB, resource_group="rg-rai", create_resource_group=True,
                            location="eastus")


def _hide_state(monkeypatch):
    """From here on this process cannot open the state itself (as a kernel whose sandbox hides the home)."""
    monkeypatch.setenv(store.STATE_HIDDEN_ENV, "1")
    with pytest.raises(store.StateNotHere):
        store.require_state_here("the check that the state is hidden")


def _drift_datasets(ws, folder):
    """A baseline and a weekly, timestamped target (its last two weeks older patients) registered in `ws`."""
    from azureml.core import Dataset

    folder.mkdir()
    datastore = ws.get_default_datastore()
    diabetes_frame(600, 5).to_csv(folder / "baseline.csv", index=False)
    datastore.upload_files([str(folder / "baseline.csv")], target_path="drift-baseline", overwrite=True,
                           show_progress=False)
    weeks = []
    for ago, factor in AGE_FACTOR.items():
        week = diabetes_frame(250, 10 + ago)
        week["Age"] = (week["Age"] * factor).round().astype(int)
        path = folder / f"week_{dt.date.today() - dt.timedelta(weeks=ago):%Y-%m-%d}.csv"
        week.to_csv(path, index=False)
        weeks.append(str(path))
    datastore.upload_files(weeks, target_path="drift-target", overwrite=True, show_progress=False)
    baseline = Dataset.Tabular.from_delimited_files(path=(datastore, "drift-baseline/*.csv")).register(
        ws, "rai baseline", create_new_version=True)
    target = Dataset.Tabular.from_delimited_files(
        path=(datastore, "drift-target/*.csv"), partition_format="drift-target/week_{date:yyyy-MM-dd}.csv")
    return baseline, target.with_timestamp_columns("date").register(ws, "rai target", create_new_version=True)


def _cluster(ws, name="drift-cluster"):
    from azureml.core.compute import AmlCompute, ComputeTarget

    ComputeTarget.create(ws, name, AmlCompute.provisioning_configuration(
        vm_size="STANDARD_DS11_V2", max_nodes=1)).wait_for_completion()


def test_a_backfill_is_run_by_the_service_and_its_results_read_through_it(process_mode, tmp_path, monkeypatch):
    from azureml.datadrift import DataDriftDetector

    ws = _workspace()
    _cluster(ws)
    baseline, target = _drift_datasets(ws, tmp_path / "drift")
    _hide_state(monkeypatch)
    monitor = DataDriftDetector.create_from_datasets(ws, "rai-drift", baseline, target, compute_target="drift-cluster",
                                                     frequency="Week", feature_list=FEATURES, drift_threshold=0.3)
    assert [m.name for m in DataDriftDetector.list(ws)] == ["rai-drift"]
    assert DataDriftDetector.get_by_name(ws, "rai-drift").target_dataset.id == target.id

    run = monitor.backfill(dt.datetime.now() - dt.timedelta(weeks=4), dt.datetime.now())
    run.wait_for_completion()
    assert run.get_status() == "Completed" and run.get_details()["target"] == "drift-cluster"
    assert run.get_metrics()["frequency"] == "Week"
    results, metrics = monitor.get_output(run_id=run.id)
    flagged = [r["has_drift"] for r in results[0]["result"]]
    assert len(flagged) == 4 and flagged[-1] and not flagged[0]  # the Age shift crosses 30 %; a baseline-like week not
    latest = metrics[0]["metrics"][-1]
    contribution = {name: {m["name"]: m["value"] for m in values}["datadrift_contribution"]
                    for column in latest["column_metrics"] for name, values in column.items()}
    assert max(contribution, key=contribution.get) == "Age"
    assert set(monitor.show()) == {"Data drift magnitude", "Drift contribution by feature"}

    single = monitor.run(dt.datetime.now() - dt.timedelta(weeks=1), feature_list=["Age"], drift_threshold=0.5)
    single.wait_for_completion()
    assert single.get_status() == "Completed" and len(monitor.get_output(run_id=single.id)[0][0]["result"]) == 1
    monitor.update(drift_threshold=0.4)
    monitor.disable_schedule()
    assert DataDriftDetector.get_by_name(ws, "rai-drift").drift_threshold == 0.4


def _explanation():
    from interpret.ext.blackbox import TabularExplainer
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 4))
    y = (X[:, 2] > 0.3).astype(int)
    model = DecisionTreeClassifier(random_state=0).fit(X, y)
    return TabularExplainer(model, X, features=["a", "b", "c", "d"], classes=["no", "yes"]).explain_global(X[:80])


def _dashboard():
    from fairlearn.metrics._group_metric_set import _create_group_metric_set

    y = np.array([0, 1, 1, 0, 1, 0, 1, 1])
    groups = pd.Series(["young", "old"] * 4, name="Age")
    return _create_group_metric_set(y_true=y, predictions={"m:1": y[::-1]}, sensitive_features={"Age": groups},
                                    prediction_type="binary_classification")


def test_explanations_and_dashboards_travel_as_json_through_the_service(process_mode, monkeypatch):
    from azureml.contrib.fairness import (
        download_dashboard_by_upload_id,
        list_available_upload_ids,
        upload_dashboard_dictionary,
    )
    from azureml.core import Experiment
    from azureml.interpret import ExplanationClient

    ws = _workspace()
    explanation, dashboard = _explanation(), _dashboard()
    _hide_state(monkeypatch)
    run = Experiment(ws, "rai-through-service").start_logging()
    client = ExplanationClient.from_run(run)
    client.upload_model_explanation(explanation, comment="global")
    (listed,) = client.list_model_explanations()
    assert listed["comment"] == "global" and listed["raw"] is explanation.is_raw
    back = client.download_model_explanation(top_k=2)
    assert back.get_ranked_global_names() == explanation.get_ranked_global_names()[:2]
    assert back.get_ranked_global_names()[0] == "c"  # the feature that decides the label
    assert back.get_ranked_global_values() == pytest.approx(explanation.get_ranked_global_values()[:2])

    upload_id = upload_dashboard_dictionary(run, dashboard, dashboard_name="rai", validate_model_ids=False)
    run.complete()
    assert list_available_upload_ids(run) == [upload_id]
    assert download_dashboard_by_upload_id(run, upload_id) == dashboard
    assert f"dashboard/{upload_id}/meta.json" in run.get_file_names()


def test_the_service_checks_what_a_kernel_asks_of_it(process_mode, tmp_path, monkeypatch):
    from azureml.core import Experiment
    from azureml.datadrift import DataDriftDetector
    from azureml.exceptions import UserErrorException

    ws = _workspace()
    baseline, target = _drift_datasets(ws, tmp_path / "drift")
    _hide_state(monkeypatch)
    monitor = DataDriftDetector.create_from_datasets(ws, "checked", baseline, target)
    monitors = cloud(sim.cloud.datadrift.monitors)
    with pytest.raises(UserErrorException, match="target_dataset_id cannot be changed after it is created"):
        monitors.update(ws._record, monitor._monitor.id, target_dataset_id=baseline.id)
    with pytest.raises(UserErrorException, match="'Running' is not a data drift monitor state"):
        monitors.update(ws._record, monitor._monitor.id, state="Running")
    with pytest.raises(UserErrorException, match="drift_threshold=7 is not valid"):
        monitors.update(ws._record, monitor._monitor.id, drift_threshold=7)
    with pytest.raises(UserErrorException, match="no timestamp column"):  # the service reads the dataset itself
        monitors.create(ws._record, "untimed", baseline.id, baseline.id, None, monitors.check_settings())
    with pytest.raises(UserErrorException, match="start_date must be a datetime.datetime"):
        cloud(sim.cloud.datadrift.engine).backfill(ws._record, monitor._monitor.id, "2026-01-01", dt.datetime.now())

    run = Experiment(ws, "rai-checked").start_logging()
    assessments = cloud(sim.cloud.runs.assessments)
    with pytest.raises(UserErrorException, match="'../outputs' is not a kind of item a run keeps"):
        assessments.save(ws._record, run.id, "../outputs", "{}", {})
    with pytest.raises(UserErrorException, match="it is a list, not a dictionary"):
        assessments.save(ws._record, run.id, "dashboard", "[1, 2]", {})
    item = assessments.save(ws._record, run.id, "dashboard", '{"a": 1}', {"id": "forged", "created": "1970"})
    (kept,) = assessments.listing(ws._record, run.id, "dashboard")
    assert kept["id"] == item != "forged" and kept["created"] != "1970"
    run.complete()


def test_the_drift_engine_s_own_moves_are_not_offered(process_mode):
    assert "submit" not in calls.ALLOWED["sim.cloud.datadrift.engine"]  # a whole monitor record, chosen by the caller
    with pytest.raises(NotRouted, match=r"sim\.cloud\.datadrift\.engine\.submit is not available when"):
        cloud(sim.cloud.datadrift.engine).submit(None, None, "BackFill", [])
    with pytest.raises(NotRouted, match=r"sim\.cloud\.datadrift\.results\.add is not available when"):
        cloud(sim.cloud.datadrift.results).add(None, None, "run", dt.datetime.now(), dt.datetime.now(), {}, 1)


def test_a_payload_that_is_not_json_is_refused_alike_in_both_modes(process_mode, monkeypatch):
    from azureml.contrib.fairness import upload_dashboard_dictionary
    from azureml.core import Experiment

    ws = _workspace()
    dashboard = {**_dashboard(), "trueY": np.array([0, 1])}  # numpy: neither JSON nor the wire format carries it
    seen = []
    for mode in ("process", "inprocess"):
        monkeypatch.setenv("DP100_SERVICE", mode)
        run = Experiment(ws, "rai-not-json").start_logging()
        with pytest.raises(Exception) as caught:
            upload_dashboard_dictionary(run, dashboard, dashboard_name="x", validate_model_ids=False)
        run.complete()
        seen.append((type(caught.value).__name__, str(caught.value)))
    assert seen[0] == seen[1], seen
    assert seen[0][0] == "UserErrorException" and "fairness dashboard could not be stored" in seen[0][1]
