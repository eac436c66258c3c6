"""`az role assignment` on a simulated workspace, as lab 1's access-control step uses it."""

from __future__ import annotations

import json

import pytest

from sim.az import main as az

SUB = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def scope():
    from sim.azureml.core import Workspace

    ws = Workspace.create(name="ws-roles", subscription_id=SUB, resource_group="rg-roles",
                          create_resource_group=True, location="eastus", show_output=False)
    return ws._record.arm_id


def run(capsys, *argv):
    code = az(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_create_list_and_delete_an_assignment(capsys, scope):
    code, out, _ = run(capsys, "role", "assignment", "create", "--assignee", "ana@contoso.com",
                       "--role", "AzureML Data Scientist", "--scope", scope)
    assert code == 0 and json.loads(out)["roleDefinitionName"] == "AzureML Data Scientist"
    code, out, _ = run(capsys, "role", "assignment", "list", "--scope", scope, "--assignee", "ana@contoso.com")
    assert [r["roleDefinitionName"] for r in json.loads(out)] == ["AzureML Data Scientist"]
    code, _, _ = run(capsys, "role", "assignment", "delete", "--scope", scope, "--assignee", "ana@contoso.com",
                     "--role", "AzureML Data Scientist")
    assert code == 0
    code, out, _ = run(capsys, "role", "assignment", "list", "--scope", scope, "--assignee", "ana@contoso.com")
    assert json.loads(out) == []


def test_the_sdk_sees_what_the_cli_assigned(capsys, scope):
    from sim.cloud import access, workspaces

    run(capsys, "role", "assignment", "create", "--assignee", "bo@contoso.com", "--role", "Reader", "--scope", scope)
    record = workspaces.get(SUB, "rg-roles", "ws-roles")
    assert access.list_role_assignments(record, "bo@contoso.com")[0]["roleDefinitionName"] == "Reader"


@pytest.mark.parametrize(("argv", "message"), [
    (["--scope", "/subscriptions/x/resourceGroups/y"], "not a workspace resource id"),
    (["--scope", f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/"
                 "workspaces/nope"], "cannot be found"),
])
def test_bad_scopes_are_named(capsys, scope, argv, message):
    code, _, err = run(capsys, "role", "assignment", "create", "--assignee", "a@b.c", "--role", "Reader", *argv)
    assert code == 1 and message in err and err.startswith("ERROR:")


def test_unknown_role_and_missing_arguments(capsys, scope):
    code, _, err = run(capsys, "role", "assignment", "create", "--assignee", "a@b.c", "--role", "Wizard",
                       "--scope", scope)
    assert code == 1 and "Wizard" in err
    code, _, err = run(capsys, "role", "assignment", "create", "--scope", scope)
    assert code == 2 and "--assignee" in err
