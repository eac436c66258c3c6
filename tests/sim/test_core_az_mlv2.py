"""The simulated Azure CLI with the ML extension v2 (`az extension add -n ml`), as Microsoft's labs use it.

Commands run in-process (`sim.az.main`) against the simulated service through the real azure-ai-ml.
"""

from __future__ import annotations

import json

import pytest

from sim import az
from sim.cloud import workspaces

SUB = "00000000-0000-0000-0000-000000000000"
RG = "rg-dp100-labs"
WS = "mlw-dp100-labs"


def _parse(out: str):
    """stdout as JSON; what the SDK prints before the result (upload lines, the dots of a long operation's
    polling, stream logs) is skipped, as a learner's eye skips it."""
    text = out.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    for start, char in enumerate(text):
        if char in "[{" and (start == 0 or text[start - 1] in "\n."):
            try:
                return json.loads(text[start:])
            except ValueError:
                continue
    return text


@pytest.fixture()
def az_cli(capsys):
    """Run `az argv...` in-process; returns (exit code, parsed stdout, stderr)."""
    def call(*argv):
        code = az.main(list(argv))
        captured = capsys.readouterr()
        return code, _parse(captured.out), captured.err
    return call


@pytest.fixture()
def cli(az_cli):
    """The CLI with the v2 extension installed."""
    assert az_cli("extension", "add", "-n", "ml", "-y")[0] == 0
    return az_cli


@pytest.fixture()
def ws_cli(cli):
    """The v2 CLI with a workspace (made by the service directly) set as the configured default."""
    workspaces.create(SUB, RG, WS, location="eastus")
    assert cli("configure", "--defaults", f"group={RG}", f"workspace={WS}")[0] == 0
    return cli


# ---- extensions --------------------------------------------------------------------------------------

def test_the_v1_and_v2_extensions_are_installed_one_at_a_time(az_cli):
    assert az_cli("extension", "add", "-n", "ml", "-y")[0] == 0
    code, _, err = az_cli("extension", "add", "-n", "azure-cli-ml")
    assert code == 1 and err.startswith("ERROR: The extension 'azure-cli-ml' cannot be installed while 'ml'")
    assert "az extension remove -n ml" in err
    assert [e["name"] for e in az_cli("extension", "list")[1]] == ["ml"]
    assert az_cli("version", "--query", "extensions")[1] == {"ml": "2.39.0"}
    code, _, err = az_cli("extension", "add", "-n", "ml")
    assert code == 0 and "Extension 'ml' 2.39.0 is already installed." in err
    assert az_cli("extension", "remove", "-n", "ml")[0] == 0
    assert az_cli("extension", "add", "-n", "azure-cli-ml")[0] == 0
    code, _, err = az_cli("extension", "add", "-n", "ml", "-y")
    assert code == 1 and "az extension remove -n azure-cli-ml" in err


def test_az_ml_is_the_tree_of_the_installed_extension(az_cli):
    code, _, err = az_cli("ml", "compute", "list")
    assert code == 2 and "az extension add -n ml" in err and "az extension add -n azure-cli-ml" in err
    az_cli("extension", "add", "-n", "azure-cli-ml")
    code, _, err = az_cli("ml", "compute", "list")
    assert code == 2 and "'compute' is misspelled or not recognized by the system." in err
    assert az_cli("ml", "workspace", "list")[0] == 0  # the v1 tree: v1 labs keep working
    az_cli("extension", "remove", "-n", "azure-cli-ml")
    az_cli("extension", "add", "-n", "ml")
    code, _, err = az_cli("ml", "computetarget", "list", "-g", RG, "-w", WS)
    assert code == 2 and "'computetarget' is misspelled" in err and "Did you mean 'az ml compute' ?" in err


# ---- account, providers, configure, groups -----------------------------------------------------------

def test_provider_register_show_and_list(az_cli):
    namespace = "Microsoft.MachineLearningServices"
    code, shown, _ = az_cli("provider", "show", "--namespace", namespace)
    assert code == 0 and shown["registrationState"] == "NotRegistered"
    code, out, err = az_cli("provider", "register", "--namespace", namespace)
    assert code == 0 and out is None
    assert f"Registering is still on-going. You can monitor using 'az provider show -n {namespace}'" in err
    assert az_cli("provider", "register", "--namespace", namespace)[2] == ""  # already registered: silent
    assert az_cli("provider", "show", "-n", namespace, "--query", "registrationState")[1] == "Registered"
    listed = az_cli("provider", "list", "--query", "[?registrationState=='Registered'].namespace")[1]
    assert namespace in listed and "Microsoft.Resources" in listed
    code, _, err = az_cli("provider", "register", "--namespace", "not a namespace")
    assert code == 1 and "(InvalidResourceNamespace)" in err


def test_account_show_and_set(az_cli, capsys):
    code, account, _ = az_cli("account", "show")
    assert code == 0 and account["id"] == SUB and account["isDefault"] is True
    assert account["user"] == {"name": "learner@contoso.com", "type": "user"}
    assert az.main(["account", "show", "--query", "id", "-o", "tsv"]) == 0
    assert capsys.readouterr().out.strip() == SUB
    assert az_cli("account", "set", "--subscription", "Azure subscription 1")[0] == 0
    code, _, err = az_cli("account", "set", "--subscription", "nope")
    assert code == 1 and "The subscription of 'nope' doesn't exist in cloud 'AzureCloud'." in err


def test_configure_defaults_are_kept_listed_and_unset(az_cli):
    assert az_cli("configure", "--defaults", "group=rg-a", "workspace=ws-a", "location=westeurope")[0] == 0
    listed = az_cli("configure", "--list-defaults")[1]
    assert {d["name"]: d["value"] for d in listed} == {"group": "rg-a", "workspace": "ws-a", "location": "westeurope"}
    assert az_cli("configure", "--defaults", "workspace=")[0] == 0
    assert [d["name"] for d in az_cli("configure", "-l")[1]] == ["group", "location"]
    code, _, err = az_cli("configure", "--defaults", "nonsense")
    assert code == 1 and "name=value" in err


def test_group_create_takes_the_configured_location(az_cli):
    code, _, err = az_cli("group", "create", "--name", RG)
    assert code == 2 and "--location" in err
    az_cli("configure", "--defaults", "location=westeurope")
    code, group, _ = az_cli("group", "create", "--name", RG)
    assert code == 0 and group["location"] == "westeurope"
    assert (group["type"], group["properties"]) == ("Microsoft.Resources/resourceGroups",
                                                    {"provisioningState": "Succeeded"})
    az_cli("configure", "--defaults", f"group={RG}")
    assert az_cli("group", "show", "--query", "name")[1] == RG


def test_workspace_scoped_commands_need_a_group_and_workspace(cli):
    code, _, err = cli("ml", "compute", "list")
    assert code == 2
    assert "the following arguments are required: --resource-group/-g, --workspace-name/-w" in err


# ---- workspaces --------------------------------------------------------------------------------------

def test_workspace_show_list_and_delete(ws_cli):
    code, shown, _ = ws_cli("ml", "workspace", "show")
    assert code == 0
    assert (shown["name"], shown["location"], shown["resourceGroup"]) == (WS, "eastus", RG)
    assert shown["mlflow_tracking_uri"].startswith("azureml://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/")
    workspaces.create(SUB, "rg-other", "mlw-other", location="westus")
    assert [w["name"] for w in ws_cli("ml", "workspace", "list")[1]] == [WS]  # the default group only
    names = ws_cli("ml", "workspace", "list", "--subscription", SUB, "--query", "[].name")[1]
    assert names == [WS]
    code, _, err = ws_cli("ml", "workspace", "delete", "--name", "mlw-other", "-g", "rg-other")
    assert code == 1 and "Use --yes" in err
    assert ws_cli("ml", "workspace", "delete", "--name", "mlw-other", "-g", "rg-other", "--yes")[0] == 0
    assert workspaces.find(SUB, "rg-other", "mlw-other") is None


def test_a_missing_workspace_is_an_error_as_the_cli_prints_it(ws_cli):
    code, out, err = ws_cli("ml", "workspace", "show", "--name", "nope")
    assert code == 1 and out is None
    assert err.startswith("ERROR: (ResourceNotFound)") and "\nCode: ResourceNotFound\n" in err
    assert "Traceback" not in err


# ---- compute -----------------------------------------------------------------------------------------

def test_compute_create_show_list_and_delete_as_lab_setup_scripts_do(ws_cli):
    code, ci, err = ws_cli("ml", "compute", "create", "--name", "ci-learner", "--size", "STANDARD_DS11_V2",
                           "--type", "ComputeInstance")
    assert code == 0, err
    assert (ci["name"], ci["type"], ci["size"], ci["resourceGroup"]) == ("ci-learner", "computeinstance",
                                                                          "STANDARD_DS11_V2", RG)
    assert ci["provisioning_state"] == "Succeeded"  # not str() of the SDK's enum ("ProvisioningState.SUCCEEDED")
    code, cluster, err = ws_cli("ml", "compute", "create", "--name", "aml-cluster", "--size", "STANDARD_DS11_V2",
                                "--max-instances", "2", "--type", "AmlCompute")
    assert code == 0, err
    assert (cluster["type"], cluster["min_instances"], cluster["max_instances"]) == ("amlcompute", 0, 2)
    assert ws_cli("ml", "compute", "show", "-n", "aml-cluster", "--query", "max_instances")[1] == 2
    code, scaled, err = ws_cli("ml", "compute", "update", "-n", "aml-cluster", "--max-instances", "4")
    assert code == 0 and (scaled["min_instances"], scaled["max_instances"]) == (0, 4), err
    assert sorted(c["name"] for c in ws_cli("ml", "compute", "list")[1]) == ["aml-cluster", "ci-learner"]
    assert [c["name"] for c in ws_cli("ml", "compute", "list", "--type", "AmlCompute")[1]] == ["aml-cluster"]
    assert ws_cli("ml", "compute", "delete", "-n", "aml-cluster", "--yes")[0] == 0
    code, _, err = ws_cli("ml", "compute", "show", "-n", "aml-cluster")
    assert code == 1 and "(ResourceNotFound)" in err


def test_compute_instance_stop_and_start(ws_cli):
    ws_cli("ml", "compute", "create", "--name", "ci-learner", "--size", "STANDARD_DS11_V2", "--type",
           "ComputeInstance")
    assert ws_cli("ml", "compute", "stop", "--name", "ci-learner")[0] == 0
    assert ws_cli("ml", "compute", "show", "-n", "ci-learner", "--query", "state")[1] == "Stopped"
    assert ws_cli("ml", "compute", "start", "--name", "ci-learner")[0] == 0
    assert ws_cli("ml", "compute", "show", "-n", "ci-learner", "--query", "state")[1] == "Running"


def test_compute_from_a_yaml_file_with_set(ws_cli, tmp_path):
    spec = tmp_path / "cluster.yml"
    spec.write_text("$schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json\n"
                    "name: cpu-cluster\ntype: amlcompute\nsize: STANDARD_DS3_V2\nmin_instances: 0\n"
                    "max_instances: 4\n")
    code, created, err = ws_cli("ml", "compute", "create", "--file", str(spec), "--set", "max_instances=3")
    assert code == 0, err
    assert (created["name"], created["size"], created["max_instances"]) == ("cpu-cluster", "STANDARD_DS3_V2", 3)


def test_compute_validation_errors_are_the_sdks(ws_cli, tmp_path):
    code, _, err = ws_cli("ml", "compute", "create", "--name", "no-type")
    assert code == 1 and err.startswith("ERROR: Unknown compute type") and "Traceback" not in err
    code, _, err = ws_cli("ml", "compute", "create", "--type", "AmlCompute")
    assert code == 1 and "Missing data for required field." in err
    code, _, err = ws_cli("ml", "compute", "create", "--file", str(tmp_path / "missing.yml"))
    assert code == 1 and "No such file or directory" in err
    code, _, err = ws_cli("ml", "compute", "create", "--name", "c", "--type", "AmlCompute", "--set", "oops")
    assert code == 1 and "--set takes property.path=value" in err


# ---- data --------------------------------------------------------------------------------------------

def test_data_create_from_a_local_file_folder_and_mltable(ws_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "diabetes.csv").write_text("Pregnancies,Age,Diabetic\n1,50,1\n0,31,0\n")
    code, asset, err = ws_cli("ml", "data", "create", "--type", "uri_file", "--name", "diabetes-data", "--path",
                              "./data/diabetes.csv")
    assert code == 0, err
    assert (asset["name"], asset["version"], asset["type"], asset["resourceGroup"]) == ("diabetes-data", "1",
                                                                                       "uri_file", RG)
    assert asset["path"].startswith("azureml://") and asset["path"].endswith("/diabetes.csv")
    code, folder, err = ws_cli("ml", "data", "create", "--name", "diabetes-folder", "--path", "./data")
    assert code == 0 and folder["type"] == "uri_folder", err
    (tmp_path / "data" / "MLTable").write_text("paths:\n  - file: ./diabetes.csv\ntransformations:\n"
                                               "  - read_delimited:\n      delimiter: ','\n"
                                               "      header: all_files_same_headers\n")
    code, table, err = ws_cli("ml", "data", "create", "--type", "mltable", "--name", "diabetes-table", "--path",
                              "./data")
    assert code == 0 and table["type"] == "mltable", err
    names = ws_cli("ml", "data", "list", "--query", "[].name")[1]
    assert sorted(names) == ["diabetes-data", "diabetes-folder", "diabetes-table"]
    assert ws_cli("ml", "data", "show", "-n", "diabetes-data", "-v", "1", "--query", "version")[1] == "1"
    assert ws_cli("ml", "data", "show", "-n", "diabetes-data", "--label", "latest", "--query", "type")[1] == "uri_file"


def test_data_errors(ws_cli, tmp_path):
    code, _, err = ws_cli("ml", "data", "show", "--name", "nope", "--version", "1")
    assert code == 1 and "ERROR: " in err and "Traceback" not in err
    code, _, err = ws_cli("ml", "data", "create", "--name", "bad", "--type", "csv", "--path", str(tmp_path))
    assert code == 2 and "invalid choice: 'csv'" in err


# ---- environments, models, datastores ----------------------------------------------------------------

def test_environment_create_show_and_list_with_curated_ones(ws_cli, tmp_path):
    conda = tmp_path / "conda.yml"
    conda.write_text("name: demo\nchannels: [conda-forge]\ndependencies:\n  - python=3.10\n  - pip\n"
                     "  - pip:\n    - scikit-learn\n")
    code, env, err = ws_cli("ml", "environment", "create", "--name", "my-env", "--image",
                            "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04", "--conda-file", str(conda))
    assert code == 0, err
    assert (env["name"], env["version"], env["resourceGroup"]) == ("my-env", "1", RG)
    shown = ws_cli("ml", "environment", "show", "--name", "my-env", "--label", "latest")[1]
    assert shown["image"] == "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"
    names = ws_cli("ml", "environment", "list", "--query", "[].name")[1]
    assert "my-env" in names and "AzureML-sklearn-1.5" in names


def test_model_create_update_archive_and_list(ws_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "model.pkl").write_bytes(b"not really a pickle")
    code, model, err = ws_cli("ml", "model", "create", "--name", "diabetes-model", "--path", "model")
    assert code == 0, err
    assert (model["name"], model["version"], model["type"]) == ("diabetes-model", "1", "custom_model")
    code, updated, err = ws_cli("ml", "model", "update", "--name", "diabetes-model", "--version", "1", "--set",
                                "description=first try")
    assert code == 0 and updated["description"] == "first try", err
    assert ws_cli("ml", "model", "archive", "--name", "diabetes-model", "--version", "1")[0] == 0
    assert ws_cli("ml", "model", "list", "--name", "diabetes-model", "--query", "[].version")[1] == []
    archived = ws_cli("ml", "model", "list", "--name", "diabetes-model", "--archived-only", "--query", "[].version")
    assert archived[1] == ["1"]


def test_datastore_list_and_show(ws_cli):
    names = ws_cli("ml", "datastore", "list", "--query", "[].name")[1]
    assert {"workspaceblobstore", "workspacefilestore"} <= set(names)
    store = ws_cli("ml", "datastore", "show", "--name", "workspaceblobstore")[1]
    assert (store["type"], store["resourceGroup"]) == ("azure_blob", RG)


def test_the_coverage_page_lists_the_commands_of_both_extensions():
    from sim.az import coverage

    page = coverage.render()
    for line in ("az ml compute create", "az ml online-deployment get-logs", "az ml job create",
                 "az ml computetarget create amlcompute", "az provider register", "az configure"):
        assert f"| `{line}` |" in page
    assert "| `az ml compute create` | Create a compute target. |" in page



# ---- jobs --------------------------------------------------------------------------------------------

JOB_YAML = """$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
code: src
command: python train.py --reg_rate ${{inputs.reg_rate}}
inputs:
  reg_rate: 0.01
environment: azureml:AzureML-sklearn-1.5@latest
compute: azureml:aml-cluster
experiment_name: cli-jobs
display_name: train from the CLI
"""


def test_job_create_stream_show_and_list(ws_cli, tmp_path, capsys):
    ws_cli("ml", "compute", "create", "--name", "aml-cluster", "--size", "STANDARD_DS11_V2", "--max-instances", "2",
           "--type", "AmlCompute")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("import sys\nprint('training with', sys.argv[1:])\n")
    (tmp_path / "job.yml").write_text(JOB_YAML)
    assert az.main(["ml", "job", "create", "--file", str(tmp_path / "job.yml"), "--name", "cli-job-1",
                    "--stream"]) == 0
    out = capsys.readouterr().out
    assert "RunId: cli-job-1" in out and "training with ['--reg_rate', '0.01']" in out
    assert "Execution Summary" in out
    job = _parse(out[out.index("\n{"):])
    assert (job["name"], job["status"], job["type"], job["experiment_name"]) == ("cli-job-1", "Completed",
                                                                                  "command", "cli-jobs")
    assert job["command"] == "python train.py --reg_rate ${{inputs.reg_rate}}"
    assert ws_cli("ml", "job", "show", "--name", "cli-job-1", "--query", "status")[1] == "Completed"
    listed = ws_cli("ml", "job", "list", "--query", "[].{name: name, status: status}")[1]
    assert {"name": "cli-job-1", "status": "Completed"} in listed
    assert ws_cli("ml", "job", "download", "-n", "cli-job-1", "--all", "--download-path", str(tmp_path / "dl"))[0] == 0
    logs = [p.read_text() for p in (tmp_path / "dl").rglob("std_log.txt")]
    assert logs and "training with" in logs[0]
    code, _, err = ws_cli("ml", "job", "create", "--file", str(tmp_path / "job.yml"), "--set", "compute=azureml:nope")
    assert code == 1 and err.startswith("ERROR: ") and "Traceback" not in err



# ---- online endpoints --------------------------------------------------------------------------------

DEPLOYMENT_YAML = """$schema: https://azuremlschemas.azureedge.net/latest/managedOnlineDeployment.schema.json
name: blue
endpoint_name: diabetes-ep
model:
  path: ./model
  type: mlflow_model
instance_type: Standard_DS3_v2
instance_count: 1
"""


def _mlflow_model(folder):
    """A small MLflow sklearn model with a signature, as the labs deploy."""
    import mlflow.sklearn
    import numpy as np
    import pandas as pd
    from mlflow.models import infer_signature
    from sklearn.linear_model import LogisticRegression

    features = pd.DataFrame(np.random.default_rng(0).random((20, 3)), columns=["Age", "BMI", "Glucose"])
    labels = (features["Glucose"] > 0.5).astype(int)
    model = LogisticRegression().fit(features, labels)
    mlflow.sklearn.save_model(model, str(folder), signature=infer_signature(features, labels))


def test_online_endpoint_and_deployment_lifecycle(ws_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _mlflow_model(tmp_path / "model")
    (tmp_path / "blue.yml").write_text(DEPLOYMENT_YAML)
    request = {"input_data": {"columns": ["Age", "BMI", "Glucose"], "index": [0], "data": [[0.2, 0.4, 0.9]]}}
    (tmp_path / "request.json").write_text(json.dumps(request))
    code, endpoint, err = ws_cli("ml", "online-endpoint", "create", "--name", "diabetes-ep", "--auth-mode", "key")
    assert code == 0, err
    assert (endpoint["name"], endpoint["auth_mode"], endpoint["resourceGroup"]) == ("diabetes-ep", "key", RG)
    code, deployment, err = ws_cli("ml", "online-deployment", "create", "--file", "blue.yml", "--all-traffic")
    assert code == 0, err
    assert (deployment["name"], deployment["provisioning_state"]) == ("blue", "Succeeded")
    assert ws_cli("ml", "online-endpoint", "show", "-n", "diabetes-ep", "--query", "traffic")[1] == {"blue": 100}
    from azure.ai.ml.constants._endpoint import EndpointInvokeFields

    # An SDK invoke earlier in this process named a deployment; a real `az` (a new process) never sees that.
    monkeypatch.setitem(EndpointInvokeFields.DEFAULT_HEADER, "azureml-model-deployment", "green")
    answer = ws_cli("ml", "online-endpoint", "invoke", "-n", "diabetes-ep", "--request-file", "request.json")[1]
    assert answer == [1]
    keys = ws_cli("ml", "online-endpoint", "get-credentials", "-n", "diabetes-ep")[1]
    assert set(keys) == {"primaryKey", "secondaryKey"} and keys["primaryKey"]
    assert ws_cli("ml", "online-deployment", "list", "-e", "diabetes-ep", "--query", "[].name")[1] == ["blue"]
    logs = ws_cli("ml", "online-deployment", "get-logs", "-n", "blue", "-e", "diabetes-ep", "--lines", "20")[1]
    assert isinstance(logs, str) and "POST /score" in logs
    code, _, err = ws_cli("ml", "online-endpoint", "update", "-n", "diabetes-ep", "--traffic", "blue=90 green=10")
    assert code == 1 and err.startswith("ERROR: ")  # there is no green deployment
    code, _, err = ws_cli("ml", "online-endpoint", "create", "--name", "local-ep", "--local")
    assert code == 1 and "Docker" in err
    assert ws_cli("ml", "online-endpoint", "delete", "-n", "diabetes-ep", "--yes")[0] == 0
    assert ws_cli("ml", "online-endpoint", "list")[1] == []


# ---- a lab's setup script, command by command --------------------------------------------------------

def test_the_commands_of_a_lab_setup_script(cli, tmp_path, monkeypatch):
    """What Microsoft's lab setup scripts run: provider, group, defaults, workspace, computes, a data asset."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "diabetes.csv").write_text("Pregnancies,Age,Diabetic\n1,50,1\n")
    suffix = "5f2a9c0e1b7d4a3c6e"
    group, workspace = f"rg-dp100-l{suffix}", f"mlw-dp100-l{suffix}"
    assert cli("provider", "register", "--namespace", "Microsoft.MachineLearningServices")[0] == 0
    assert cli("group", "create", "--name", group, "--location", "westeurope")[0] == 0
    assert cli("configure", "--defaults", f"group={group}")[0] == 0
    code, created, err = cli("ml", "workspace", "create", "--name", workspace)
    assert code == 0, err
    assert (created["name"], created["location"], created["resourceGroup"]) == (workspace, "westeurope", group)
    assert cli("configure", "--defaults", f"workspace={workspace}")[0] == 0
    steps = (("compute", "create", "--name", f"ci{suffix}", "--size", "STANDARD_DS11_V2", "--type", "ComputeInstance"),
             ("compute", "create", "--name", "aml-cluster", "--size", "STANDARD_DS11_V2", "--max-instances", "2",
              "--type", "AmlCompute"),
             ("data", "create", "--type", "uri_file", "--name", "diabetes-data", "--path", "./data/diabetes.csv"))
    for step in steps:
        code, _, err = cli("ml", *step)
        assert code == 0, err
    record = workspaces.get(SUB, group, workspace)  # one workspace, two faces: v1 sees what the CLI made
    from sim.cloud import compute

    assert compute.find(record, "aml-cluster") is not None and compute.find(record, f"ci{suffix}") is not None


def test_a_command_group_alone_shows_its_help(cli, capsys):
    assert az.main(["ml", "compute"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: az ml compute") and "create" in out and "list-sizes" in out
