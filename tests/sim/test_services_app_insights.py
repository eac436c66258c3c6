"""Application Insights of v1 web services: what a service with `enable_app_insights` records per scoring request,
that one without records nothing until `update(enable_app_insights=True)`, and that the records stay bounded and
private."""

from __future__ import annotations

import json
import os
import socket
import stat
from datetime import UTC, datetime, timedelta

import pytest
import requests

from sim import _request_log
from sim.cloud import services
from sim.cloud.services import RequestTelemetry
from tests.sim._models_helpers import SCALER_SCRIPT, LabFolder, register_factor

GOOD = json.dumps({"data": [1, 2, 3]})
BAD = json.dumps({"no data": []})  # run() raises KeyError: the service answers 500


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "appinsights")
    folder.write("scaler/score.py", SCALER_SCRIPT)
    folder.model = register_factor(folder.ws, 2.0)
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


def _deploy(lab, name: str, app_insights: bool | None, env: dict | None = None):
    from azureml.core import Model
    from azureml.core.model import InferenceConfig
    from azureml.core.webservice import AciWebservice

    saved = {key: os.environ.get(key) for key in env or {}}
    os.environ.update(env or {})
    try:
        service = Model.deploy(lab.ws, name, [lab.model], InferenceConfig(entry_script="score.py",
                                                                          source_directory="scaler"),
                               AciWebservice.deploy_configuration(enable_app_insights=app_insights), overwrite=True)
        service.wait_for_deployment()
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    assert service.state == "Healthy", service.get_logs()
    return service


def _records(lab, name: str) -> list[RequestTelemetry]:
    return services.request_records(lab.ws._record, name)


def test_a_service_with_app_insights_records_each_scoring_request(lab):
    service = _deploy(lab, "insights-on", True)
    assert service.enable_app_insights is True
    before = datetime.now(UTC)
    answers = [requests.post(service.scoring_uri, body, timeout=30) for body in (GOOD, GOOD, BAD)]
    assert [a.status_code for a in answers] == [200, 200, 500]
    records = _records(lab, "insights-on")
    assert [(r.name, r.result_code, r.success) for r in records] == [
        ("POST /score", "200", True), ("POST /score", "200", True), ("POST /score", "500", False)]
    assert [r.request_bytes for r in records] == [len(GOOD), len(GOOD), len(BAD)]
    assert [r.response_bytes for r in records] == [len(a.content) for a in answers]
    assert all(before - timedelta(seconds=1) <= r.timestamp <= datetime.now(UTC) for r in records)
    assert all(0 < r.duration_ms < 30_000 for r in records)
    assert services.app_insights_enabled(lab.ws._record, "insights-on")
    logs = service.get_logs()
    assert "init: factor is 2.0" in logs and "KeyError" in logs  # the script's prints and tracebacks, as before
    service.delete()


def test_without_app_insights_nothing_is_recorded_until_an_update_enables_it(lab):
    service = _deploy(lab, "insights-later", None)
    assert service.enable_app_insights is False
    assert requests.post(service.scoring_uri, GOOD, timeout=30).status_code == 200
    assert _records(lab, "insights-later") == []
    service.update(enable_app_insights=True)  # notebook 16's way: the running service starts recording
    assert service.enable_app_insights is True
    assert service.run(GOOD)["scaled"] == [2.0, 4.0, 6.0]
    assert [r.result_code for r in _records(lab, "insights-later")] == ["200"]
    service.update(enable_app_insights=False)
    assert requests.post(service.scoring_uri, BAD, timeout=30).status_code == 500
    assert len(_records(lab, "insights-later")) == 1, "a request was recorded after app insights was turned off"
    service.delete()


def test_refused_and_unauthorized_requests_are_recorded_as_failures(lab):
    from azureml.core import Model
    from azureml.core.model import InferenceConfig
    from azureml.core.webservice import AciWebservice

    config = AciWebservice.deploy_configuration(enable_app_insights=True, auth_enabled=True)
    os.environ["DP100_SIM_SCORING_MAX_BYTES"] = "1000"
    try:
        service = Model.deploy(lab.ws, "insights-limits", [lab.model],
                               InferenceConfig(entry_script="score.py", source_directory="scaler"), config,
                               overwrite=True)
        service.wait_for_deployment()
    finally:
        os.environ.pop("DP100_SIM_SCORING_MAX_BYTES")
    key = service.get_keys()[0]
    assert requests.post(service.scoring_uri, GOOD, timeout=30).status_code == 401
    too_big = json.dumps({"data": [1] * 2000})
    assert requests.post(service.scoring_uri, too_big, headers={"Authorization": f"Bearer {key}"},
                         timeout=30).status_code == 413
    records = _records(lab, "insights-limits")
    assert [(r.result_code, r.success) for r in records] == [("401", False), ("413", False)]
    assert records[1].request_bytes == len(too_big)  # the size it declared: the body itself was never read
    service.delete()


def test_the_records_stay_bounded_and_private(lab):
    limit = 2000  # bytes per file: about ten records
    service = _deploy(lab, "insights-bounded", True, {"DP100_SIM_REQUESTS_MAX_BYTES": str(limit)})
    for _ in range(40):
        assert requests.post(service.scoring_uri, GOOD, timeout=30).status_code == 200
    folder = services.get(lab.ws._record, "insights-bounded").folder
    files = [folder / _request_log.REQUESTS_FILE, folder / _request_log.ROTATED_FILE]
    assert all(path.stat().st_size <= limit for path in files), [path.stat().st_size for path in files]
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in [*files, folder / _request_log.FLAG_FILE])
    records = _records(lab, "insights-bounded")
    assert 5 < len(records) < 40, "old records are dropped, the newest kept"
    assert records == sorted(records, key=lambda r: r.timestamp)
    service.delete()


def test_a_cut_short_line_is_skipped_not_fatal(lab):
    service = _deploy(lab, "insights-torn", True)
    folder = services.get(lab.ws._record, "insights-torn").folder
    assert requests.post(service.scoring_uri, GOOD, timeout=30).status_code == 200
    with open(folder / _request_log.REQUESTS_FILE, "a") as fh:
        fh.write('{"timestamp": "2026-')  # a crash in the middle of a write
    assert requests.post(service.scoring_uri, GOOD, timeout=30).status_code == 200
    assert len(_records(lab, "insights-torn")) == 1  # the torn line and the one glued to it are skipped
    service.delete()


def test_a_request_over_a_raw_socket_with_a_chunked_body_is_recorded_with_its_read_size(lab):
    service = _deploy(lab, "insights-chunked", True)
    port = int(service.scoring_uri.split(":")[2].split("/")[0])
    body = GOOD.encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"POST /score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                     + b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 200") or answer.startswith(b"HTTP/1.1 200"), answer[:80]
    assert [r.request_bytes for r in _records(lab, "insights-chunked")] == [len(body)]
    service.delete()


def _at(minute: int, second: int, code: str, ms: float) -> RequestTelemetry:
    return RequestTelemetry(datetime(2026, 12, 6, 10, minute, second, tzinfo=UTC), "POST /score", code,
                            int(code) < 400, ms, 10, 20)


def test_the_summary_counts_failures_and_latency_per_minute():
    records = [_at(0, 5, "200", 10.0), _at(0, 40, "500", 30.0), _at(0, 59, "200", 20.0), _at(2, 1, "200", 8.0)]
    rows = services.request_summary(records)
    assert rows == [
        {"time": datetime(2026, 12, 6, 10, 0, tzinfo=UTC), "requests": 3, "failed": 1, "average_ms": 20.0,
         "p95_ms": 30.0},
        {"time": datetime(2026, 12, 6, 10, 2, tzinfo=UTC), "requests": 1, "failed": 0, "average_ms": 8.0,
         "p95_ms": 8.0},
    ]
    assert services.request_summary([]) == []


def test_a_local_service_has_no_app_insights_and_records_nothing(lab):
    from azureml.core import Model
    from azureml.core.model import InferenceConfig
    from azureml.core.webservice import LocalWebservice

    from sim import studio_insights

    service = Model.deploy(lab.ws, "insights-local", [lab.model],
                           InferenceConfig(entry_script="score.py", source_directory="scaler"),
                           LocalWebservice.deploy_configuration())
    service.wait_for_deployment()
    assert service.run(GOOD)["scaled"] == [2.0, 4.0, 6.0]
    view = studio_insights.service_insights(lab.ws._record, "insights-local")
    assert (view["available"], view["enabled"], view["totals"]["requests"]) == (False, False, 0)
    assert _records(lab, "insights-local") == []
    service.delete()


def test_the_studio_view_sums_what_the_service_recorded(lab):
    from sim import studio_insights

    service = _deploy(lab, "insights-view", True)
    for body in (GOOD, BAD, GOOD):
        requests.post(service.scoring_uri, body, timeout=30)
    view = studio_insights.service_insights(lab.ws._record, "insights-view")
    assert view["available"] and view["enabled"]
    assert view["totals"]["requests"] == 3 and view["totals"]["failed"] == 1
    assert sum(row["requests"] for row in view["per_minute"]) == 3
    assert [row["resultCode"] for row in view["recent"]] == ["200", "500", "200"]  # newest first
    service.delete()


def test_the_studio_view_charts_the_newest_minutes_and_counts_every_request(lab):
    from sim import studio_insights

    service = _deploy(lab, "insights-history", True)
    folder = services.get(lab.ws._record, "insights-history").folder
    start = datetime(2026, 12, 5, 23, 45, tzinfo=UTC)  # 40 minutes of history across midnight, one request each
    lines = []
    for minute in range(40):
        item = _request_log.entry("POST /score", 200, 5.0, 10, 20)
        lines.append(json.dumps({**item, "timestamp": (start + timedelta(minutes=minute)).isoformat()}) + "\n")
    (folder / _request_log.REQUESTS_FILE).write_text("".join(lines))
    view = studio_insights.service_insights(lab.ws._record, "insights-history")
    assert view["totals"]["requests"] == 40
    shown = [row["time"] for row in view["per_minute"]]
    assert len(shown) == studio_insights.MINUTES and shown == sorted(shown)
    assert (shown[0], shown[-1]) == ("12-05 23:55", "12-06 00:24")
    service.delete()
