"""The simulated Azure CLI ML extension v1, used as a learner types it."""

from __future__ import annotations

import json
import subprocess

import pytest

import sim
from sim import az


def run_az(capsys, *argv):
    """Run `az argv...` in-process; returns (exit code, parsed JSON or text, stderr)."""
    code = az.main(list(argv))
    captured = capsys.readouterr()
    try:
        out = json.loads(captured.out) if captured.out.strip() else None
    except ValueError:
        out = captured.out
    return code, out, captured.err


@pytest.fixture()
def cli(capsys):
    def call(*argv):
        return run_az(capsys, *argv)

    assert call("extension", "add", "-n", "azure-cli-ml")[0] == 0
    return call


def test_ml_needs_the_extension(capsys):
    code, _, err = run_az(capsys, "ml", "workspace", "list")
    assert code == 2
    assert "az extension add -n azure-cli-ml" in err
    code, _, err = run_az(capsys, "extension", "add", "-n", "azure-cli-mlv2")
    assert code == 1 and "No matching extensions for 'azure-cli-mlv2'" in err


def test_extension_list_and_remove(cli):
    code, out, _ = cli("extension", "list")
    assert code == 0 and [e["name"] for e in out] == ["azure-cli-ml"] and out[0]["version"] == "1.41.0"
    assert cli("extension", "remove", "-n", "azure-cli-ml")[0] == 0
    assert cli("extension", "list")[1] == []


def test_workspace_create_show_list_delete(cli):
    code, created, _ = cli("ml", "workspace", "create", "-w", "aml-ws", "-g", "aml-rg", "-l", "eastus")
    assert code == 0
    assert created["name"] == "aml-ws" and created["location"] == "eastus"
    assert "/Microsoft.Storage/storageAccounts/" in created["storageAccount"]
    code, shown, _ = cli("ml", "workspace", "show", "-w", "aml-ws", "-g", "aml-rg")
    assert shown["id"] == created["id"]
    code, listed, _ = cli("ml", "workspace", "list")
    assert listed == [{"location": "eastus", "resourceGroup": "aml-rg",
                       "subscriptionId": "00000000-0000-0000-0000-000000000000", "workspaceName": "aml-ws"}]
    assert cli("ml", "workspace", "delete", "-w", "aml-ws", "-g", "aml-rg")[0] == 0
    assert cli("ml", "workspace", "list")[1] == []


def test_workspace_create_reports_service_errors(cli):
    code, _, err = cli("ml", "workspace", "create", "-w", "aml-ws", "-g", "aml-rg", "-l", "atlantis")
    assert code == 1 and err.startswith("ERROR: LocationNotAvailableForResourceType")
    cli("ml", "workspace", "create", "-w", "aml-ws", "-g", "aml-rg", "-l", "eastus")
    code, _, err = cli("ml", "workspace", "create", "-w", "aml-ws", "-g", "aml-rg")
    assert code == 1 and "already exists" in err
    assert cli("ml", "workspace", "create", "-w", "aml-ws", "-g", "aml-rg", "--exist-ok")[0] == 0


def test_argument_errors_look_like_the_cli(cli):
    code, _, err = cli("ml", "workspace", "create", "-w", "aml-ws")
    assert code == 2 and "the following arguments are required: --resource-group/-g" in err
    code, _, err = cli("ml", "worksapce", "list")
    assert code == 2 and "'worksapce' is misspelled or not recognized by the system." in err
    assert "Did you mean 'az ml workspace' ?" in err
    code, _, err = cli("ml", "workspace", "list", "--bogus")
    assert code == 2 and "unrecognized arguments: --bogus" in err
    code, _, err = cli("ml", "workspace", "list", "-o", "xml")
    assert code == 2 and "invalid choice: 'xml'" in err


def test_computetarget_commands(cli):
    cli("ml", "workspace", "create", "-w", "aml-ws", "-g", "aml-rg", "-l", "eastus")
    ws = ("-w", "aml-ws", "-g", "aml-rg")
    code, created, _ = cli("ml", "computetarget", "create", "amlcompute", "-n", "cpu-cluster", "-s",
                           "STANDARD_DS11_V2", "--max-nodes", "2", *ws)
    assert code == 0
    assert created["properties"]["computeType"] == "AmlCompute"
    assert created["properties"]["properties"]["scaleSettings"]["maxNodeCount"] == 2
    code, listed, _ = cli("ml", "computetarget", "list", *ws)
    assert listed == [{"location": "eastus", "name": "cpu-cluster", "provisioningState": "Succeeded",
                       "type": "AmlCompute"}]
    assert cli("ml", "computetarget", "show", "-n", "cpu-cluster", *ws)[1]["name"] == "cpu-cluster"
    code, _, err = cli("ml", "computetarget", "create", "amlcompute", "-n", "gpu", "-s", "STANDARD_NC6",
                       "--max-nodes", "50", *ws)
    assert code == 1 and "exceeding approved standardNCFamily Cores quota" in err
    assert cli("ml", "computetarget", "delete", "-n", "cpu-cluster", *ws)[0] == 0
    code, _, err = cli("ml", "computetarget", "show", "-n", "cpu-cluster", *ws)
    assert code == 1 and "ComputeTargetNotFound" in err


def test_commands_find_the_workspace_in_config_json(cli, tmp_path, monkeypatch):
    from sim.azureml.core.workspace import Workspace

    cli("ml", "workspace", "create", "-w", "aml-ws", "-g", "aml-rg", "-l", "eastus")
    Workspace.get("aml-ws").write_config(path=str(tmp_path))
    monkeypatch.chdir(tmp_path)
    code, shown, _ = cli("ml", "workspace", "show")
    assert code == 0 and shown["name"] == "aml-ws"
    code, stores, _ = cli("ml", "datastore", "list")
    assert code == 0 and {"workspaceblobstore", "workspacefilestore"} <= {s["name"] for s in stores}
    code, models, _ = cli("ml", "model", "list")
    assert code == 0 and models == []
    code, runs, _ = cli("ml", "run", "list")
    assert code == 0 and runs == []


def test_table_and_tsv_output(cli, capsys):
    cli("ml", "workspace", "create", "-w", "aml-ws", "-g", "aml-rg", "-l", "eastus")
    assert az.main(["ml", "workspace", "list", "-o", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Location", "ResourceGroup", "SubscriptionId", "WorkspaceName"]
    assert lines[2].split()[-1] == "aml-ws"
    assert az.main(["ml", "workspace", "list", "-o", "tsv"]) == 0
    assert capsys.readouterr().out.strip().split("\t")[-1] == "aml-ws"


ARM_TEMPLATE = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {"workspaceName": {"type": "string"},
                   "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
                   "maxNodes": {"type": "int", "defaultValue": 2}},
    "variables": {"storageName": "[concat('st', uniqueString(resourceGroup().id))]"},
    "resources": [
        {"type": "Microsoft.Storage/storageAccounts", "name": "[variables('storageName')]",
         "location": "[parameters('location')]"},
        {"type": "Microsoft.MachineLearningServices/workspaces", "name": "[parameters('workspaceName')]",
         "location": "[parameters('location')]", "sku": {"name": "Basic"},
         "properties": {"friendlyName": "[toUpper(parameters('workspaceName'))]"}},
        {"type": "Microsoft.MachineLearningServices/workspaces/computes",
         "name": "[concat(parameters('workspaceName'), '/cpu-cluster')]",
         "properties": {"computeType": "AmlCompute", "properties": {
             "vmSize": "STANDARD_DS11_V2",
             "scaleSettings": {"minNodeCount": 0, "maxNodeCount": "[parameters('maxNodes')]"}}}},
    ],
    "outputs": {"workspaceId": {"type": "string", "value":
                "[resourceId('Microsoft.MachineLearningServices/workspaces', parameters('workspaceName'))]"}},
}


def test_deployment_group_create_from_an_arm_template(cli, tmp_path):
    template = tmp_path / "azuredeploy.json"
    template.write_text(json.dumps(ARM_TEMPLATE))
    code, _, err = cli("deployment", "group", "create", "-g", "arm-rg", "--template-file", str(template))
    assert code == 1 and "ResourceGroupNotFound" in err
    assert cli("group", "create", "-n", "arm-rg", "-l", "westeurope")[0] == 0
    code, _, err = cli("deployment", "group", "create", "-g", "arm-rg", "--template-file", str(template))
    assert code == 1 and "'workspaceName' is not provided" in err
    code, result, _ = cli("deployment", "group", "create", "-g", "arm-rg", "--template-file", str(template),
                          "--parameters", "workspaceName=arm-ws", "maxNodes=3")
    assert code == 0
    assert result["name"] == "azuredeploy" and result["properties"]["provisioningState"] == "Succeeded"
    assert result["properties"]["outputs"]["workspaceId"]["value"].endswith("/workspaces/arm-ws")
    code, shown, _ = cli("ml", "workspace", "show", "-w", "arm-ws", "-g", "arm-rg")
    assert shown["location"] == "westeurope" and shown["friendlyName"] == "ARM-WS"
    code, computes, _ = cli("ml", "computetarget", "show", "-n", "cpu-cluster", "-w", "arm-ws", "-g", "arm-rg")
    assert computes["properties"]["properties"]["scaleSettings"]["maxNodeCount"] == 3
    again = cli("deployment", "group", "create", "-g", "arm-rg", "--template-file", str(template),
                "--parameters", "workspaceName=arm-ws")
    assert again[0] == 0  # incremental mode: deploying twice is harmless


@pytest.mark.parametrize("resource, message", [
    ({"type": "Microsoft.Web/sites", "name": "x"}, "is not simulated"),
    ({"type": "Microsoft.MachineLearningServices/workspaces", "name": "[nosuch('a')]"},
     "'nosuch' is not supported"),
    ({"type": "Microsoft.MachineLearningServices/workspaces", "name": "[concat('a']"}, "ends too early"),
])
def test_bad_templates(cli, tmp_path, resource, message):
    cli("group", "create", "-n", "arm-rg", "-l", "eastus")
    template = tmp_path / "bad.json"
    template.write_text(json.dumps({"resources": [resource]}))
    code, _, err = cli("deployment", "group", "create", "-g", "arm-rg", "--template-file", str(template))
    assert code == 1 and message in err
    code, _, err = cli("deployment", "group", "create", "-g", "arm-rg", "--template-file", str(tmp_path / "no.json"))
    assert code == 1 and "could not be found" in err


def test_python_m_sim_az_and_the_lab_shim(tmp_path):
    shim = az.install_shim(tmp_path / "bin")
    env = sim.subprocess_env()
    first = subprocess.run([str(shim), "extension", "add", "-n", "azure-cli-ml"], env=env, capture_output=True,
                           text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    out = subprocess.run([str(shim), "ml", "workspace", "list"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and json.loads(out.stdout) == []


def test_query_paths_and_tsv_like_learners_use(cli, capsys):
    cli("ml", "workspace", "create", "-w", "aml-ws", "-g", "aml-rg", "-l", "eastus")
    cli("ml", "workspace", "create", "-w", "aml-ws-2", "-g", "aml-rg", "-l", "eastus")
    assert cli("ml", "workspace", "list", "--query", "[].workspaceName")[1] == ["aml-ws", "aml-ws-2"]
    assert cli("ml", "workspace", "list", "--query", "[1].workspaceName")[1] == "aml-ws-2"
    assert az.main(["ml", "workspace", "show", "-w", "aml-ws", "-g", "aml-rg", "--query", "name", "-o", "tsv"]) == 0
    assert capsys.readouterr().out.strip() == "aml-ws"
    cli("ml", "workspace", "create", "-w", "aml-ws-west", "-g", "aml-rg", "-l", "westeurope")
    # Full JMESPath, as the real CLI: filters, projections into objects, functions.
    assert cli("ml", "workspace", "list", "--query", "[?location=='westeurope'].workspaceName")[1] == ["aml-ws-west"]
    assert cli("ml", "workspace", "list", "--query", "length(@)")[1] == 3
    assert cli("ml", "workspace", "list", "--query", "[0].{n: workspaceName}")[1] == {"n": "aml-ws"}


def test_a_malformed_query_is_refused_before_the_command_runs(cli):
    code, _, err = cli("ml", "workspace", "create", "-w", "never", "-g", "aml-rg", "-l", "eastus",
                       "--query", "[?name==")
    assert code == 2 and "argument --query: invalid jmespath_type value: '[?name=='" in err
    assert cli("ml", "workspace", "list")[1] == []  # nothing was created
