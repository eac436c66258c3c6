"""The Studio page over a simulated workspace: runs with their metrics, compute created through the form."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import ROOT

SUB = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def workspace():
    from sim.azureml.core import Experiment, Workspace

    ws = Workspace.create(name="studio-ws", subscription_id=SUB, resource_group="rg", create_resource_group=True,
                          location="eastus")
    run = Experiment(ws, "diabetes-training").start_logging()
    run.log("accuracy", 0.874)
    for loss in (0.9, 0.6, 0.4):
        run.log("loss", loss)
    run.complete()
    return ws


def studio():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return at.switch_page("ui/pages/studio_page.py").run()


def test_without_a_workspace_the_page_says_how_to_make_one():
    at = studio()
    assert not at.exception
    assert "Workspace.create" in at.info[0].value


def test_a_run_shows_its_metrics(workspace):
    at = studio()
    assert not at.exception
    assert at.selectbox(key="studio_experiment").value == "diabetes-training"
    frames = [df.value for df in at.dataframe]
    assert any("accuracy" in f.columns and f["accuracy"].iloc[0] == pytest.approx(0.874) for f in frames)
    assert "Completed" in " ".join(m.value for m in at.markdown)


def test_the_run_list_shows_a_start_time_and_a_duration():
    from datetime import UTC, datetime

    from sim.studio import _duration

    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert [_duration(start, start.replace(second=s)) for s in (0, 4)] == ["0s", "4s"]
    assert _duration(start, start.replace(minute=2, second=5)) == "2m 05s"
    assert _duration(start, start.replace(hour=1, minute=2)) == "1h 02m"


def test_the_run_table_reads_like_the_studio(workspace):
    import re

    at = studio()
    runs = next(df.value for df in at.dataframe if "Run ID" in df.value.columns)
    assert list(runs.columns) == ["Run number", "Run ID", "Display name", "Type", "Status", "Compute target",
                                  "Started (UTC)", "Duration"]
    assert runs["Type"].iloc[0] == "interactive"  # an SDK v2 command job says command (tests/ui/test_studio_v2.py)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", runs["Started (UTC)"].iloc[0])
    assert re.fullmatch(r"\d+s", runs["Duration"].iloc[0])


def test_a_parent_run_lists_its_child_runs_with_their_metrics(workspace):
    from sim.azureml.core import Experiment

    parent = Experiment(workspace, "folds").start_logging()
    for fold in range(2):
        child = parent.child_run(name=f"fold-{fold}")
        child.log("fold_accuracy", 0.8 + fold / 10)
        child.complete()
    parent.complete()
    at = studio()
    at.selectbox(key="studio_experiment").set_value("folds").run()
    assert at.expander[0].label == "Child runs (2)"
    children = next(df.value for df in at.dataframe if "fold_accuracy" in df.value.columns)
    assert sorted(children["fold_accuracy"]) == [0.8, 0.9]
    assert list(children["Status"]) == ["Completed", "Completed"]


def test_the_studio_opens_on_the_newest_workspace(workspace):
    from sim.azureml.core import Workspace

    Workspace.create(name="zzz-newer-ws", subscription_id=SUB, resource_group="rg2", create_resource_group=True,
                     location="westus2")  # sorts last by name and was created last
    at = studio()
    picked = at.selectbox(key="studio_ws")
    assert picked.options[picked.index].startswith("zzz-newer-ws") and len(picked.options) == 2


def test_creating_a_cluster_through_the_form_is_what_the_sdk_sees(workspace):
    at = studio()
    at.text_input(key="studio_compute_name").input("cpu-cluster")
    at.selectbox(key="studio_vm_size").set_value("STANDARD_DS11_V2")
    at.number_input(key="studio_max_nodes").set_value(2)
    next(b for b in at.button if b.label == "Create").click().run()
    assert not at.exception
    assert "Created cpu-cluster" in at.success[0].value
    from sim.azureml.core import Workspace

    ws = Workspace.get("studio-ws", subscription_id=SUB, resource_group="rg")
    assert ws.compute_targets["cpu-cluster"].provisioning_state == "Succeeded"


def test_an_sdk_error_is_shown_not_raised(workspace):
    at = studio()
    at.text_input(key="studio_compute_name").input("x")  # too short for Azure's naming rules
    next(b for b in at.button if b.label == "Create").click().run()
    assert not at.exception
    assert at.error, "the SDK's error should be shown on the page"
