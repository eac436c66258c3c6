"""The Studio's run list pages a long experiment: 50 runs a page, newest first, previous/next, where you are."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import ROOT

SUB = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def workspace():
    """A workspace whose experiment holds 120 runs (one through the SDK, 119 through the service's batch path)."""
    from sim.azureml.core import Experiment, Workspace
    from sim.cloud.runs import batch, state

    ws = Workspace.create(name="paging-ws", subscription_id=SUB, resource_group="rg", create_resource_group=True,
                          location="eastus")
    run = Experiment(ws, "many-runs").start_logging()
    run.log("accuracy", 0.5)
    run.complete()
    batch.start_many(ws._record, "many-runs", 119, status=state.COMPLETED)
    return ws


def studio():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return at.switch_page("ui/pages/studio_page.py").run()


def run_table(at):
    return next(df.value for df in at.dataframe if "Run ID" in df.value.columns)


def test_a_long_run_list_shows_page_1_of_n_and_next_turns_the_page(workspace):
    at = studio()
    assert not at.exception
    experiments = next(df.value for df in at.dataframe if "Runs" in df.value.columns)
    assert list(experiments["Runs"]) == [120]
    assert list(run_table(at)["Run number"]) == list(range(120, 70, -1))
    assert any(c.value.startswith("Page 1 of 3 · 120 runs") for c in at.caption)
    assert at.button(key="studio_runs_previous").disabled
    at.button(key="studio_runs_next").click().run()
    assert not at.exception
    assert list(run_table(at)["Run number"]) == list(range(70, 20, -1))
    assert any(c.value.startswith("Page 2 of 3") for c in at.caption)
    assert at.selectbox(key="studio_run").value == run_table(at)["Run ID"].iloc[0]  # a run of this page is open
    at.button(key="studio_runs_next").click().run()
    assert list(run_table(at)["Run number"]) == list(range(20, 0, -1)) and at.button(key="studio_runs_next").disabled
    at.button(key="studio_runs_previous").click().run()
    assert any(c.value.startswith("Page 2 of 3") for c in at.caption)


def test_a_short_run_list_has_no_pager(workspace):
    from sim.azureml.core import Experiment

    run = Experiment(workspace, "few-runs").start_logging()
    run.complete()
    at = studio()
    at.selectbox(key="studio_experiment").set_value("few-runs").run()
    assert not at.exception
    assert len(run_table(at)) == 1
    assert not [b for b in at.button if b.key in ("studio_runs_previous", "studio_runs_next")]


def test_an_open_run_on_a_later_page_brings_its_page(workspace):
    from sim.azureml.core import Experiment

    oldest = next(r for r in Experiment(workspace, "many-runs").get_runs() if r.number == 1)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.session_state["studio_run"] = oldest.id  # as a studio link to that run sets it
    at.switch_page("ui/pages/studio_page.py").run()
    assert not at.exception
    assert any(c.value.startswith("Page 3 of 3") for c in at.caption)
    assert at.selectbox(key="studio_run").value == oldest.id
