"""Studio links (https://ml.azure.com/...) that the SDKs print open the app's own Studio on the same item."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from sim import studio_links
from tests.ui.conftest import ROOT

SUB = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def linked_run():
    """A run in an older workspace (not the one the Studio shows first), in an experiment that is not the first."""
    from sim.azureml.core import Experiment, Workspace

    older = Workspace.create(name="ws-linked", subscription_id=SUB, resource_group="rg-links",
                             create_resource_group=True, location="eastus")
    Experiment(older, "aaa-first").start_logging().complete()
    run = Experiment(older, "zzz-linked").start_logging()
    run.log("accuracy", 0.5)
    run.complete()
    Workspace.create(name="ws-newer", subscription_id=SUB, resource_group="rg-links", location="eastus")
    return run


def _studio_from(url: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("ui/pages/studio_page.py")
    at.query_params.update(studio_links.studio_target(url))
    return at.run()


def test_the_sdk_links_name_the_studio_tab_and_item(linked_run):
    run_target = studio_links.studio_target(linked_run.get_portal_url())
    assert run_target == {"ws": f"{SUB}/rg-links/ws-linked", "tab": "experiments", "run": linked_run.id}
    experiment_target = studio_links.studio_target(linked_run.experiment.get_portal_url())
    assert experiment_target["tab"] == "experiments" and experiment_target["experiment_id"] == linked_run.experiment.id


@pytest.mark.parametrize(("path", "expected"), [
    ("/model/diabetes-model:2/details", {"tab": "models", "model": "diabetes-model", "version": "2"}),
    ("/endpoints/realtime/diabetes-svc/detail", {"tab": "endpoints", "endpoint": "diabetes-svc"}),
    ("/compute/aml-cluster/details", {"tab": "compute", "compute": "aml-cluster"}),
    ("/compute/list", {"tab": "compute"}),
    ("/data/diabetes-table/1/details", {"tab": "data", "data": "diabetes-table"}),
    ("/environments/tuning-env", {"tab": "environments", "environment": "tuning-env"}),
])
def test_each_kind_of_studio_page_maps_to_its_tab(path, expected):
    assert studio_links.studio_target("https://ml.azure.com" + path) == expected


def test_links_are_found_in_text_and_html_and_scoring_addresses_are_not_links():
    text = ("Web View: https://ml.azure.com/runs/r1?wsid=/subscriptions/s/resourcegroups/g/workspaces/w.\n"
            "Scoring: https://svc.eastus.inference.ml.azure.com/score")
    assert studio_links.portal_urls(text) == [
        "https://ml.azure.com/runs/r1?wsid=/subscriptions/s/resourcegroups/g/workspaces/w"]
    html = '<a href="https://ml.azure.com/runs/job-1?wsid=/subscriptions/s/resourceGroups/g/providers/' \
           'Microsoft.MachineLearningServices/workspaces/w&amp;tid=t">Link</a>'
    assert studio_links.localize_links(html) == '<a href="studio?ws=s%2Fg%2Fw&tab=experiments&run=job-1">Link</a>'
    assert studio_links.studio_target("https://example.com/runs/x") is None


def test_a_run_link_opens_its_workspace_experiment_and_run(linked_run):
    at = _studio_from(linked_run.get_portal_url())
    assert not at.exception, [e.value for e in at.exception]
    ws_label = at.selectbox(key="studio_ws").value
    assert at.selectbox(key="studio_ws").format_func(ws_label).startswith("ws-linked")
    assert at.selectbox(key="studio_experiment").value == "zzz-linked"
    assert at.selectbox(key="studio_run").value == linked_run.id
    assert not at.query_params.get("run"), "the link is used once; later choices are the learner's"
    at.selectbox(key="studio_experiment").set_value("aaa-first").run()
    assert at.selectbox(key="studio_experiment").value == "aaa-first"


def test_a_link_to_a_workspace_that_is_gone_opens_the_studio_as_usual():
    from sim.azureml.core import Workspace

    Workspace.create(name="ws-only", subscription_id=SUB, resource_group="rg-links", create_resource_group=True,
                     location="eastus")
    at = _studio_from("https://ml.azure.com/runs/nope?wsid=/subscriptions/x/resourcegroups/y/workspaces/z")
    assert not at.exception, [e.value for e in at.exception]
