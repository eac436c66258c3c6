"""The call proxy (`POST /_sim/call`) and its wire format, in this process and through the service."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sim import service
from sim.cloud import workspaces
from sim.cloud.errors import NotFound
from sim.service import calls, channel, codec

SUB = "00000000-0000-0000-0000-000000000000"


def _post(body: bytes) -> tuple[int, dict]:
    status, _, data = channel.send("POST", "http://service/_sim/call", {"Content-Type": "application/json"}, body)
    return status, json.loads(data)


def test_values_and_records_travel_both_ways_unchanged():
    record = workspaces.create(SUB, "rg-calls", "mlw-calls", location="eastus")
    value = {"record": record, "path": Path("/x/y"), "pair": (1, "a"), "raw": b"\x00\xff", "when": datetime.now(UTC),
             "tags": {"a", "b"}, "$odd": [None, True, 1.5]}
    assert codec.loads(codec.dumps(value)) == value


def test_values_the_format_does_not_carry_are_refused_with_a_sentence():
    with pytest.raises(codec.NotEncodable, match="Values of type object cannot travel"):
        codec.dumps(object())
    with pytest.raises(codec.NotEncodable, match="non-text keys"):
        codec.dumps({1: "x"})
    with pytest.raises(codec.NotEncodable, match="cannot travel"):
        codec.loads(json.dumps({"$record": "subprocess.Popen", "fields": {"args": ["true"]}}).encode())


def test_an_allowed_function_answers_with_its_value():
    created = workspaces.create(SUB, "rg-calls", "mlw-calls", location="eastus")
    assert service.call("sim.cloud.workspaces", "get", SUB, "rg-calls", "mlw-calls") == created
    assert service.call("sim.cloud.workspaces", "list_workspaces", subscription_id=SUB) == [created]


def test_a_service_error_is_raised_again_as_its_own_class():
    with pytest.raises(NotFound, match="no workspace named 'missing'") as caught:
        service.call("sim.cloud.workspaces", "get", SUB, "rg-calls", "missing")
    assert caught.value.status == 404 and caught.value.family == "workspace"


@pytest.mark.parametrize("module, function", [
    ("sim.cloud.access", "set_caller"),  # a test switch: who the caller is
    ("sim.cloud.runs.lifecycle", "start"),  # would record a finished run with nothing run
    ("sim.cloud.workspaces", "_write_record"),  # private
    ("os", "system"),  # not the service at all
    ("sim.cloud.workspaces", "dataclasses"),  # not a function
])
def test_anything_not_on_the_allow_list_is_refused_with_403(module, function):
    status, answer = _post(calls.request_body(module, function))
    assert status == 403
    assert answer["error"]["message"].startswith(f"{module}.{function} cannot be called")


@pytest.mark.parametrize("body, problem", [
    (b"not json", "Expecting value"),
    (b"[1, 2]", "the body is not an object"),
    (json.dumps({"module": "sim.cloud.workspaces"}).encode(), "module or function is missing"),
    (json.dumps({"module": "sim.cloud.workspaces", "function": "get", "args": {}}).encode(), "wrong type"),
])
def test_a_malformed_call_is_refused_with_400_naming_the_problem(body, problem):
    status, answer = _post(body)
    assert status == 400 and problem in answer["error"]["message"]


def test_arguments_that_do_not_fit_are_refused_before_the_function_runs():
    with pytest.raises(calls.CallRefused, match="sim.cloud.workspaces.get: missing a required argument") as caught:
        service.call("sim.cloud.workspaces", "get", SUB)
    assert caught.value.status == 400


def test_every_allowed_name_is_a_public_function_of_its_module():
    for module, names in calls.ALLOWED.items():
        assert module.startswith("sim.cloud.")
        for name in names:
            assert not name.startswith("_")
            assert calls.resolve(module, name).__name__ == name


def test_calls_reach_the_service_process_and_change_its_state(process_mode):
    created = service.call("sim.cloud.workspaces", "create", SUB, "rg-calls", "mlw-proc", location="westeurope")
    assert created.location == "westeurope" and created.folder.is_dir()
    assert workspaces.get(SUB, "rg-calls", "mlw-proc") == created  # the same state, read here directly
    with pytest.raises(NotFound):
        service.call("sim.cloud.workspaces", "get", SUB, "rg-calls", "missing")


def test_concurrent_calls_are_each_answered(process_mode):
    from concurrent.futures import ThreadPoolExecutor

    names = [f"mlw-many-{i}" for i in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        made = list(pool.map(lambda name: service.call("sim.cloud.workspaces", "create", SUB, "rg-many", name,
                                                       location="eastus"), names))
    assert [record.name for record in made] == names
    listed = service.call("sim.cloud.workspaces", "list_workspaces", subscription_id=SUB, resource_group="rg-many")
    assert sorted(record.name for record in listed) == names
