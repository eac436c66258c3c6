"""The Studio's endpoint page shows a v1 service's Application Insights: requests, failures and latency, or how to
turn it on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from tests.sim._models_helpers import SCALER_SCRIPT
from tests.ui.test_studio_page import studio, workspace  # noqa: F401 - the shared workspace fixture


@pytest.fixture
def deployed(workspace, tmp_path, monkeypatch):  # noqa: F811
    """Deploy the scaler service under a name, with or without app insights; every server is stopped after."""
    from sim.azureml.core import Model
    from sim.azureml.core.model import InferenceConfig
    from sim.azureml.core.webservice import AciWebservice
    from sim.cloud import services

    monkeypatch.chdir(tmp_path)
    Path("scaler").mkdir()
    Path("scaler/score.py").write_text(SCALER_SCRIPT)
    Path("factor").write_text("2.0")
    model = Model.register(workspace=workspace, model_path="factor", model_name="factor")

    def deploy(name: str, app_insights: bool):
        service = Model.deploy(workspace, name, [model], InferenceConfig(entry_script="score.py",
                                                                         source_directory="scaler"),
                               AciWebservice.deploy_configuration(enable_app_insights=app_insights))
        service.wait_for_deployment()
        assert service.state == "Healthy", service.get_logs()
        return service

    yield deploy
    services.stop_all(workspace._record)


def _open_endpoint(name: str, lang: str = "en"):
    at = studio()
    at.session_state["lang"] = lang
    at.session_state["studio_endpoint"] = name
    return at.run()


def _table(at, column: str):
    """The one table on the page with this column."""
    (found,) = [df.value for df in at.dataframe if column in df.value.columns]
    return found


def test_a_service_with_app_insights_shows_its_requests_failures_and_latency(deployed):
    service = deployed("insights-svc", True)
    for body in ({"data": [1]}, {"data": [2, 3]}, {"wrong": 1}):
        requests.post(service.scoring_uri, json.dumps(body), timeout=30)
    at = _open_endpoint("insights-svc")
    assert not at.exception
    assert "**Application Insights**" in [m.value for m in at.markdown]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Requests"] == "3" and shown["Failed requests"] == "1"
    assert float(shown["Average latency (ms)"]) > 0
    minutes = _table(at, "Failed requests")
    assert minutes["Requests"].sum() == 3 and minutes["Failed requests"].sum() == 1
    recent = _table(at, "resultCode")
    assert list(recent["resultCode"]) == ["500", "200", "200"]  # newest first
    assert not at.info


def test_a_service_without_app_insights_says_how_to_enable_it(deployed):
    service = deployed("plain-svc", False)
    requests.post(service.scoring_uri, json.dumps({"data": [1]}), timeout=30)
    at = _open_endpoint("plain-svc")
    assert not at.exception
    assert "service.update(enable_app_insights=True)" in at.info[0].value
    assert not at.metric, "a service without app insights recorded requests"


def test_the_panel_follows_the_language(deployed):
    service = deployed("insights-pt", True)
    requests.post(service.scoring_uri, json.dumps({"data": [1]}), timeout=30)
    at = _open_endpoint("insights-pt", "pt-BR")
    assert not at.exception
    assert {m.label for m in at.metric} == {"Requisições", "Requisições com falha", "Latência média (ms)"}
    assert list(_table(at, "Minuto (UTC)").columns)[:3] == ["Minuto (UTC)", "Requisições", "Requisições com falha"]
