"""Access control: built-in and custom roles, role assignments, and the simulated caller's role."""

from __future__ import annotations

import json

import pytest

import sim
from sim.cloud import access

SUB = "00000000-0000-0000-0000-000000000000"
COMPUTE_WRITE = "Microsoft.MachineLearningServices/workspaces/computes/write"
RUN_SUBMIT = "Microsoft.MachineLearningServices/workspaces/experiments/runs/submit/action"


pytestmark = pytest.mark.usefixtures("sim_active")


@pytest.fixture(autouse=True)
def reset_caller():
    access.set_caller()
    yield
    access.set_caller()  # never leak a caller into other tests


@pytest.fixture()
def ws():
    from azureml.core import Workspace

    return Workspace.create(name="aml-workspace", subscription_id=SUB, resource_group="aml-resources",
                            location="eastus", show_output=False)


def cluster_config():
    from azureml.core.compute import AmlCompute

    return AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2", max_nodes=1)


@pytest.mark.parametrize("role, action, allowed", [
    ("Owner", COMPUTE_WRITE, True),
    ("Owner", "Microsoft.Authorization/roleAssignments/write", True),
    ("Contributor", COMPUTE_WRITE, True),
    ("Contributor", "Microsoft.Authorization/roleAssignments/write", False),
    ("Reader", "Microsoft.MachineLearningServices/workspaces/read", True),
    ("Reader", COMPUTE_WRITE, False),
    ("Reader", RUN_SUBMIT, False),
    ("AzureML Data Scientist", RUN_SUBMIT, True),
    ("AzureML Data Scientist", "Microsoft.MachineLearningServices/workspaces/models/write", True),
    ("AzureML Data Scientist", COMPUTE_WRITE, False),
    ("AzureML Data Scientist", "Microsoft.MachineLearningServices/workspaces/write", False),
    ("AzureML Compute Operator", COMPUTE_WRITE, True),
    ("AzureML Compute Operator", RUN_SUBMIT, False),
])
def test_builtin_role_actions(role, action, allowed):
    assert access.role_allows(access.get_role_definition(role), action) is allowed


def test_reader_cannot_create_compute_and_error_names_the_action(ws, monkeypatch):
    from azureml.core.compute import ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    monkeypatch.setenv(access.ROLE_ENV, "Reader")
    with pytest.raises(ComputeTargetException, match="AuthorizationFailed.*" + COMPUTE_WRITE.replace("/", ".")):
        ComputeTarget.create(ws, "cpu-cluster", cluster_config())
    assert ws.compute_targets == {}


def test_reader_cannot_create_workspace_or_read_secrets(ws):
    from azureml.core import Workspace
    from azureml.exceptions import UserErrorException

    ws.get_default_keyvault().set_secret("token", "abc")
    access.set_caller(role="Reader")
    with pytest.raises(Exception, match="workspaces/write"):
        Workspace.create(name="another", subscription_id=SUB, resource_group="aml-resources", show_output=False)
    with pytest.raises(UserErrorException, match="listsecrets/action"):
        ws.get_default_keyvault().get_secret("token")


def test_role_assignment_for_a_named_user(ws):
    from azureml.core.compute import ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    access.assign_role(ws._record, "alice@contoso.com", "AzureML Data Scientist")
    access.assign_role(ws._record, "bob@contoso.com", "AzureML Compute Operator")
    access.set_caller("alice@contoso.com")
    assert access.roles_of_caller(ws._record) == ["AzureML Data Scientist"]
    with pytest.raises(ComputeTargetException, match="alice@contoso.com.*computes/write"):
        ComputeTarget.create(ws, "cpu-cluster", cluster_config())
    access.set_caller("bob@contoso.com")
    assert ComputeTarget.create(ws, "cpu-cluster", cluster_config()).name == "cpu-cluster"
    access.set_caller()
    names = [(a["principalName"], a["roleDefinitionName"]) for a in access.list_role_assignments(ws._record)]
    assert names == [("learner@contoso.com", "Owner"), ("alice@contoso.com", "AzureML Data Scientist"),
                     ("bob@contoso.com", "AzureML Compute Operator")]


def test_only_owner_assigns_roles(ws):
    from sim.cloud.errors import Forbidden

    access.assign_role(ws._record, "carol@contoso.com", "Contributor")
    access.set_caller("carol@contoso.com")
    with pytest.raises(Forbidden, match="roleAssignments/write"):
        access.assign_role(ws._record, "dave@contoso.com", "Owner")


def test_unassigned_principal_has_no_access(ws):
    from azureml.core.compute import ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    access.set_caller("mallory@contoso.com")
    with pytest.raises(ComputeTargetException, match="Its role\\(s\\) on this workspace: none"):
        ComputeTarget.create(ws, "cpu-cluster", cluster_config())


def test_custom_role_from_json_file(ws, tmp_path):
    from azureml.core.compute import ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    definition = {
        "Name": "Data Scientist Custom",
        "IsCustom": True,
        "Description": "Can run experiments but not create compute or deploy.",
        "Actions": ["Microsoft.MachineLearningServices/workspaces/*/read",
                    "Microsoft.MachineLearningServices/workspaces/*/action"],
        "NotActions": ["Microsoft.MachineLearningServices/workspaces/computes/*/write",
                       "Microsoft.MachineLearningServices/workspaces/services/aci/write"],
        "AssignableScopes": [f"/subscriptions/{SUB}"],
    }
    path = tmp_path / "role.json"
    path.write_text(json.dumps(definition))
    role = access.create_custom_role(path)
    assert role["IsCustom"] and role["Name"] == "Data Scientist Custom"
    assert access.role_allows(role, RUN_SUBMIT)
    assert not access.role_allows(role, "Microsoft.MachineLearningServices/workspaces/services/aci/write")
    access.set_caller(role="Data Scientist Custom")
    with pytest.raises(ComputeTargetException, match="computes/write"):
        ComputeTarget.create(ws, "cpu-cluster", cluster_config())


@pytest.mark.parametrize("body, problem", [
    ({"Actions": ["*"]}, "Name is missing"),
    ({"Name": "Owner", "Actions": ["*"]}, "built-in role name"),
    ({"Name": "x", "Actions": "*"}, "Actions must be a list"),
    ({"Name": "x", "Actions": []}, "at least one action"),
])
def test_invalid_custom_roles(body, problem):
    from sim.cloud.errors import UserError

    with pytest.raises(UserError, match=problem):
        access.create_custom_role(body)


def test_unknown_role_is_rejected():
    from sim.cloud.errors import NotFound

    with pytest.raises(NotFound, match="RoleDefinitionDoesNotExist") as caught:
        access.set_caller(role="Superuser")
    assert caught.value.code == "RoleDefinitionDoesNotExist"


def test_caller_is_inherited_by_subprocesses(tmp_path):
    import subprocess

    script = tmp_path / "who.py"
    script.write_text("from sim.cloud import access\nprint(access.current_caller().principal, "
                      "access.current_caller().role_override)\n")
    access.set_caller("erin@contoso.com", "Reader")
    out = subprocess.run(sim.script_command(script), capture_output=True, text=True, env=sim.subprocess_env(),
                         timeout=60)
    access.set_caller()
    assert out.stdout.strip() == "erin@contoso.com Reader"


def test_getting_a_workspace_needs_read_access(ws, tmp_path):
    from azureml.core import Workspace
    from azureml.exceptions import ProjectSystemException

    ws.write_config(path=str(tmp_path))
    for role in ("Reader", "AzureML Data Scientist", "Contributor"):
        access.set_caller(role=role)
        assert Workspace.from_config(path=str(tmp_path)) == ws
    access.set_caller("nobody@contoso.com")
    with pytest.raises(ProjectSystemException, match="AuthorizationFailed.*workspaces/read"):
        Workspace.from_config(path=str(tmp_path))
    access.set_caller(role="AzureML Compute Operator")  # compute only: it cannot even read the workspace
    with pytest.raises(ProjectSystemException, match="workspaces/read"):
        Workspace.get("aml-workspace")
