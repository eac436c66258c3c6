"""The Studio page shows what SDK v2 made: a command job (type, command, environment, compute, inputs, outputs, log,
MLflow metrics), custom and curated environments with their versions, model versions with their type, job and
flavors, and a managed online endpoint with its deployments, traffic split and a request sent from the page.

The workspace is made once for the module through the real azure-ai-ml, as a learner makes it in labs 11-14 (a job,
its model, a blue/green endpoint take seconds each); every test reads it through the page.
"""

from __future__ import annotations

import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import ROOT

SUB, RG, WS = "00000000-0000-0000-0000-000000000000", "rg-studio", "mlw-studio"
ENDPOINT = "ep-studio-v2"
EXPERIMENT = "diabetes-v2"
CONDA = ("name: basic-env-cpu\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - scikit-learn\n"
         "  - pandas\n")
TRAIN = """
import argparse, os
import mlflow, pandas as pd
from mlflow.models import infer_signature
from sklearn.linear_model import LogisticRegression

parser = argparse.ArgumentParser()
parser.add_argument("--reg_rate", type=float)
parser.add_argument("--data")
parser.add_argument("--out")
args = parser.parse_args()
df = pd.read_csv(args.data)
print("training on", len(df), "rows with reg_rate", args.reg_rate)
mlflow.log_param("reg_rate", args.reg_rate)
X = df[["f1", "f2"]].astype("float64")
model = LogisticRegression(C=1 / args.reg_rate).fit(X, df["label"])
mlflow.log_metric("accuracy", model.score(X, df["label"]))
mlflow.sklearn.log_model(model, name="model", signature=infer_signature(X, model.predict(X)))
open(os.path.join(args.out, "summary.txt"), "w").write(f"{len(df)} rows")
"""
V1_SCRIPT = "import json\n\ndef init():\n    pass\n\ndef run(raw):\n    return {'rows': len(json.loads(raw)['data'])}\n"
REQUEST = {"input_data": {"columns": ["f1", "f2"], "index": [0], "data": [[0.1, 0.9]]}}


def _seed(tmp) -> dict:
    """A job, a custom environment, a model from the job and a blue/green endpoint, made through azure-ai-ml."""
    from azure.ai.ml import Input, MLClient, Output, command
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import Data, Environment, ManagedOnlineDeployment, ManagedOnlineEndpoint, Model
    from azure.identity import DefaultAzureCredential

    from sim.cloud import workspaces

    record = workspaces.create(SUB, RG, WS, location="eastus")
    ml_client = MLClient(DefaultAzureCredential(), SUB, RG, WS)
    (tmp / "src").mkdir()
    (tmp / "src" / "train.py").write_text(TRAIN)
    (tmp / "diabetes.csv").write_text("f1,f2,label\n0.0,1.0,0\n1.0,0.0,1\n0.1,0.8,0\n0.9,0.2,1\n")
    (tmp / "conda.yml").write_text(CONDA)
    ml_client.data.create_or_update(Data(name="diabetes-data", path=str(tmp / "diabetes.csv"), type="uri_file"))
    ml_client.environments.create_or_update(Environment(
        name="docker-image-plus-conda-example", image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04",
        conda_file=str(tmp / "conda.yml"), description="Image plus a conda file"))
    job = ml_client.create_or_update(command(
        code=str(tmp / "src"), environment="AzureML-sklearn-1.5@latest", experiment_name=EXPERIMENT,
        command="python train.py --reg_rate ${{inputs.reg_rate}} --data ${{inputs.data}} --out ${{outputs.summary}}",
        inputs={"reg_rate": 0.01, "data": Input(type="uri_file", path="azureml:diabetes-data:1")},
        outputs={"summary": Output(type="uri_folder")}, display_name="train-diabetes"))
    deadline = time.monotonic() + 120
    while ml_client.jobs.get(job.name).status not in ("Completed", "Failed") and time.monotonic() < deadline:
        time.sleep(0.2)
    model = ml_client.models.create_or_update(Model(
        name="diabetes-mlflow", type=AssetTypes.MLFLOW_MODEL,
        path=f"azureml://jobs/{job.name}/outputs/artifacts/paths/model/"))
    ml_client.begin_create_or_update(ManagedOnlineEndpoint(name=ENDPOINT, auth_mode="key")).result()
    for color in ("blue", "green"):
        ml_client.begin_create_or_update(ManagedOnlineDeployment(
            name=color, endpoint_name=ENDPOINT, model=model, instance_type="Standard_DS3_v2", instance_count=1)
        ).result()
    endpoint = ml_client.online_endpoints.get(ENDPOINT)
    endpoint.traffic = {"blue": 90, "green": 10}
    ml_client.begin_create_or_update(endpoint).result()
    _seed_v1(tmp)
    return {"record": record, "job": job.name}


def _seed_v1(tmp) -> None:
    """An SDK v1 run and an SDK v1 web service (ACI) in the same workspace, beside what v2 made."""
    from sim.azureml.core import Experiment, Model, Workspace
    from sim.azureml.core.model import InferenceConfig
    from sim.azureml.core.webservice import AciWebservice

    ws = Workspace.get(WS, subscription_id=SUB, resource_group=RG)
    run = Experiment(ws, "v1-training").start_logging()
    run.log("accuracy", 0.5)
    run.complete()
    (tmp / "v1src").mkdir()
    (tmp / "v1src" / "score.py").write_text(V1_SCRIPT)
    service = Model.deploy(ws, "diabetes-service", [Model(ws, "diabetes-mlflow", version=1)],
                           InferenceConfig(entry_script="score.py", source_directory=str(tmp / "v1src")),
                           AciWebservice.deploy_configuration())
    service.wait_for_deployment()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The module's workspace, in its own DP100_HOME; scoring servers stopped at the end."""
    import sim
    from sim.cloud import endpoints, services, workspaces

    home = tmp_path_factory.mktemp("studio-v2")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DP100_HOME", str(home / "dp100home"))
        was_active = sim.is_active()
        sim.activate()
        try:
            yield {"home": home / "dp100home", **_seed(home)}
        finally:
            for record in workspaces.list_workspaces():
                endpoints.stop_all(record)
                services.stop_all(record)  # the v1 web service too: no scoring server outlives the tests
            if not was_active:
                sim.deactivate()


@pytest.fixture
def dp100_home(seeded, monkeypatch):
    """Every test of this module reads the one seeded workspace (overrides the per-test home)."""
    monkeypatch.setenv("DP100_HOME", str(seeded["home"]))
    return seeded["home"]


def studio() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return at.switch_page("ui/pages/studio_page.py").run()


def _frame(at, column: str, value=None):
    """The first table with this column (and, when given, this value in it)."""
    return next(df.value for df in at.dataframe
                if column in df.value.columns and (value is None or value in list(df.value[column])))


def _job_page(at):
    at.selectbox(key="studio_experiment").set_value(EXPERIMENT).run()
    assert not at.exception
    return at


# -- jobs -----------------------------------------------------------------------------------------------
def test_a_command_job_is_listed_with_its_type_display_name_and_compute(seeded):
    at = _job_page(studio())
    runs = _frame(at, "Run ID", seeded["job"])
    row = runs[runs["Run ID"] == seeded["job"]].iloc[0]
    assert (row["Type"], row["Display name"], row["Status"], row["Compute target"]) == (
        "command", "train-diabetes", "Completed", "serverless")
    label = at.selectbox(key="studio_run").options[0]
    assert label == "Run 1 · train-diabetes · Completed", label


def test_a_command_job_shows_its_command_environment_inputs_and_outputs(seeded):
    at = _job_page(studio())
    text = " ".join(m.value for m in at.markdown)
    assert "**Job type:** command" in text and "**Compute:** serverless" in text
    assert "**Environment:** AzureML-sklearn-1.5:26" in text, "@latest is shown as the version it resolves to"
    assert any(c.value.startswith("python train.py --reg_rate ${{inputs.reg_rate}}") for c in at.code)
    inputs = _frame(at, "Value", "0.01")
    assert dict(zip(inputs["Name"], inputs["Value"], strict=True)) == {"reg_rate": "0.01",
                                                                        "data": "azureml:diabetes-data:1"}
    assert dict(zip(inputs["Name"], inputs["Type"], strict=True)) == {"reg_rate": "literal", "data": "uri_file"}
    outputs = _frame(at, "Location (URI)")
    row = outputs.iloc[0]
    assert row["Name"] == "summary" and row["Files"] == "summary.txt"
    assert row["Location (URI)"] == f"azureml://datastores/workspaceblobstore/paths/azureml/{seeded['job']}/summary/"


def test_a_command_job_shows_its_log_metrics_and_parameters_from_mlflow(seeded):
    at = _job_page(studio())
    assert "user_logs/std_log.txt" in [e.label for e in at.expander]
    assert any("training on 4 rows with reg_rate 0.01" in c.value for c in at.code)
    assert _frame(at, "accuracy")["accuracy"].iloc[0] == pytest.approx(1.0)
    assert _frame(at, "reg_rate")["reg_rate"].iloc[0] == "0.01"
    assert "**Metrics**" in [m.value for m in at.markdown]


def test_a_v1_run_still_shows_as_before_beside_the_v2_jobs(seeded):
    at = studio()
    at.selectbox(key="studio_experiment").set_value("v1-training").run()
    runs = _frame(at, "Run ID")
    assert list(runs["Type"]) == ["interactive"] and list(runs["Status"]) == ["Completed"]
    assert _frame(at, "accuracy")["accuracy"].iloc[0] == pytest.approx(0.5)
    assert not any("Job type" in m.value for m in at.markdown), "a v1 run has no command-job overview"


# -- environments ---------------------------------------------------------------------------------------
def test_environments_list_custom_ones_first_then_the_curated_ones_with_their_versions(seeded):
    at = studio()
    table = _frame(at, "Image", "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04")
    assert table["Name"].iloc[0] == "docker-image-plus-conda-example" and not table["Curated"].iloc[0]
    curated = table[table["Name"] == "AzureML-sklearn-1.5"].iloc[0]
    assert (curated["Version"], bool(curated["Curated"])) == ("26", True)
    assert curated["Image"] == "mcr.microsoft.com/azureml/curated/sklearn-1.5:26"


def test_an_environment_shows_its_image_conda_file_and_versions(seeded):
    at = studio()
    assert at.selectbox(key="studio_environment").value == "docker-image-plus-conda-example"
    assert at.selectbox(key="studio_environment_version_docker-image-plus-conda-example").options == ["1"]
    conda = next(c.value for c in at.code if c.language == "yaml")
    assert "scikit-learn" in conda and "python=3.11" in conda
    at.selectbox(key="studio_environment").set_value("AzureML-sklearn-1.5").run()
    versions = at.selectbox(key="studio_environment_version_AzureML-sklearn-1.5").options
    assert versions[0] == "26" and len(versions) == 26
    assert any("`mcr.microsoft.com/azureml/curated/sklearn-1.5:26`" in m.value for m in at.markdown)


# -- models ---------------------------------------------------------------------------------------------
def test_a_model_version_shows_its_type_the_job_it_came_from_and_its_flavors(seeded):
    at = studio()
    models = _frame(at, "Flavors")
    row = models[models["Name"] == "diabetes-mlflow"].iloc[0]
    assert (row["Version"], row["Type"], row["Job"]) == (1, "mlflow_model", seeded["job"])
    assert row["Flavors"] == "python_function, sklearn"


# -- endpoints ------------------------------------------------------------------------------------------
def test_a_managed_online_endpoint_shows_its_deployments_and_traffic_split(seeded):
    at = studio()
    endpoints = _frame(at, "Traffic", "blue 90%, green 10%")
    row = endpoints[endpoints["Name"] == ENDPOINT].iloc[0]
    assert (row["Type"], row["State"], row["Authentication"]) == ("Managed", "Succeeded", "Key")
    assert row["Scoring URI"] == f"https://{ENDPOINT}.eastus.inference.ml.azure.com/score"
    deployments = _frame(at, "Instance type")
    assert dict(zip(deployments["Name"], deployments["Traffic"], strict=True)) == {"blue": 90, "green": 10}
    assert set(deployments["State"]) == {"Succeeded"} and set(deployments["Model"]) == {"diabetes-mlflow:1"}


def test_a_request_sent_to_a_deployment_shows_its_answer_and_who_answered(seeded):
    at = studio()
    at.selectbox(key="studio_deployment").set_value("green")
    at.text_area(key="studio_request_online").input(json.dumps(REQUEST))
    at.button(key="studio_send").click().run()
    assert not at.exception and not at.error
    assert "Answered by deployment green." in [c.value for c in at.caption]
    answer = json.loads(next(c.value for c in at.code if c.language == "json"))
    assert answer in ([0], [1])


def test_a_managed_endpoint_offers_a_request_in_the_mlflow_input_data_format(seeded):
    at = studio()
    body = json.loads(at.text_area(key="studio_request_online").value)
    assert set(body["input_data"]) == {"columns", "index", "data"}
    assert len(body["input_data"]["columns"]) == len(body["input_data"]["data"][0])


def test_a_request_the_model_refuses_or_bad_json_shows_the_error(seeded):
    at = studio()
    at.text_area(key="studio_request_online").input('{"input_data": {"columns": ["f1"], "data": [["x"]]}}')
    at.button(key="studio_send").click().run()
    assert at.error and at.error[0].value.startswith("ScoringError: Deployment '"), at.error[0].value
    at.text_area(key="studio_request_online").input("not json").run()
    at.button(key="studio_send").click().run()
    assert at.error[0].value.startswith("ValueError: The request body is not valid JSON")


def test_a_v1_web_service_still_shows_and_answers_beside_the_managed_endpoint(seeded):
    at = studio()
    endpoints = _frame(at, "Traffic")
    assert list(zip(endpoints["Name"], endpoints["Type"], strict=True)) == [(ENDPOINT, "Managed"),
                                                                             ("diabetes-service", "ACI")]
    at.selectbox(key="studio_endpoint").set_value("diabetes-service").run()
    assert "studio_deployment" not in [box.key for box in at.selectbox], "a web service has no deployments"
    at.button(key="studio_send").click().run()  # the default body has one row
    assert not at.error
    assert json.loads(next(c.value for c in at.code if c.language == "json")) == {"rows": 1}


def test_the_new_columns_follow_the_language(seeded):
    at = studio()
    at.session_state["lang"] = "pt-BR"
    at.run()
    assert _frame(at, "Tráfego", "blue 90%, green 10%") is not None
    assert _frame(at, "Flavors")["Tipo"].tolist()[0] == "mlflow_model"
