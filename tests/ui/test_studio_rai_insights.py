"""The Studio's page of a pipeline job that gathered a Responsible AI dashboard (lab 10's pipeline) shows its error
analysis, feature importance and counterfactuals as tables, with a note that the real dashboard is richer."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.rest.test_registries import _known_model_and_data, _rai_pipeline, _wait
from tests.ui.conftest import ROOT

SUB, RG, WS = "00000000-0000-0000-0000-000000000000", "rg-rai", "mlw-rai"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One workspace, in its own DP100_HOME, where the RAI pipeline ran on the known model of the REST tests."""
    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    import sim
    from sim.cloud import workspaces

    home = tmp_path_factory.mktemp("studio-rai")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DP100_HOME", str(home / "dp100home"))
        patch.chdir(home)
        was_active = sim.is_active()
        sim.activate()
        try:
            workspaces.create(SUB, RG, WS, location="eastus")
            credential = DefaultAzureCredential()
            ml_client = MLClient(credential, SUB, RG, WS)
            registry_client = MLClient(credential=credential, subscription_id=SUB, resource_group_name=RG,
                                       registry_name="azureml")
            _known_model_and_data(home)
            job = ml_client.jobs.create_or_update(_rai_pipeline(ml_client, registry_client, home))
            assert _wait(ml_client, job.name).status == "Completed"
            yield {"home": home / "dp100home", "job": job.name}
        finally:
            if not was_active:
                sim.deactivate()


@pytest.fixture
def dp100_home(seeded, monkeypatch):
    """Every test of this module reads the one seeded workspace (overrides the per-test home)."""
    monkeypatch.setenv("DP100_HOME", str(seeded["home"]))
    return seeded["home"]


def _pipeline_page(job: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["studio_experiment"] = "rai-known"
    at.session_state["studio_run"] = job
    at.run()
    return at.switch_page("ui/pages/studio_page.py").run()


def test_the_pipeline_shows_its_rai_insights_as_tables(seeded, dp100_home):
    at = _pipeline_page(seeded["job"])
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any(v.startswith("**Responsible AI dashboard: known (classification of y") for v in texts)
    assert any("real Responsible AI dashboard" in c.value for c in at.caption)
    tables = [df.value for df in at.dataframe]
    tree = next(t for t in tables if "condition" in t.columns)
    assert tree.iloc[0]["error_rate"] == 1.0 and tree.iloc[0]["condition"].startswith("x2 > 0.8")
    changes = next(t for t in tables if "counterfactual_prediction" in t.columns)
    assert "x1" in changes.columns and "x2" not in changes.columns


def test_the_rai_headings_follow_the_language(seeded, dp100_home):
    at = _pipeline_page(seeded["job"], lang="pt-BR")
    assert not at.exception
    assert any(m.value.startswith("**Painel de IA Responsável: known") for m in at.markdown)
