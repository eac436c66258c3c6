"""A lab kernel behaves like a compute instance: MLflow tracks to the lab folder's workspace without set-up code."""

from __future__ import annotations

import json

import pytest

from labs.kernel import LabKernel, Limits
from labs.setup import RESOURCE_GROUP, SUBSCRIPTION, workspace_v2_for_lab


@pytest.fixture(scope="module")
def lab_home(tmp_path_factory):
    """This module's own DP100_HOME (the autouse fixture of conftest keeps it for every test)."""
    home = tmp_path_factory.mktemp("mlflowhome")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DP100_HOME", str(home))
        mp.delenv("MLFLOW_TRACKING_URI", raising=False)
        yield home


def _kernel(folder):
    kernel = LabKernel(folder, Limits(cell_seconds=60, memory_mb=3072, max_processes=16))
    kernel.start()
    return kernel


def test_v2_setup_writes_the_config_that_mlclient_from_config_reads(lab_home):
    folder = lab_home / "labs" / "v2"
    folder.mkdir(parents=True)
    config = workspace_v2_for_lab("99", folder)
    assert json.loads((folder / "config.json").read_text()) == config
    assert config == {"subscription_id": SUBSCRIPTION, "resource_group": RESOURCE_GROUP,
                      "workspace_name": "mlw-lab99-00000"}
    assert workspace_v2_for_lab("99", folder) == config  # a second set-up reuses the workspace


def test_a_kernel_in_a_lab_folder_logs_mlflow_runs_to_its_workspace(lab_home):
    from mlflow import MlflowClient

    from sim.cloud import workspaces

    folder = lab_home / "labs" / "v2"
    record = workspaces.find(SUBSCRIPTION, RESOURCE_GROUP, "mlw-lab99-00000")
    kernel = _kernel(folder)
    try:
        uri = kernel.execute("import os\nprint(os.environ.get('MLFLOW_TRACKING_URI'))").stdout.strip()
        assert uri in (f"azureml://{record.location}.api.azureml.ms/mlflow/v1.0{record.arm_id}", record.mlflow_uri)
        done = kernel.execute("import mlflow\nmlflow.set_experiment('from-the-kernel')\n"
                              "with mlflow.start_run():\n    mlflow.log_metric('answer', 42)")
        assert done.ok, done.text()
    finally:
        kernel.shutdown()
    client = MlflowClient(tracking_uri=record.mlflow_uri)
    experiment = client.get_experiment_by_name("from-the-kernel")
    runs = client.search_runs([experiment.experiment_id])
    assert [r.data.metrics for r in runs] == [{"answer": 42.0}]


def test_a_kernel_without_a_workspace_config_presets_nothing(lab_home):
    kernel = _kernel(lab_home / "labs" / "plain")
    try:
        assert kernel.execute("import os\nprint(os.environ.get('MLFLOW_TRACKING_URI'))").stdout.strip() == "None"
    finally:
        kernel.shutdown()


def test_importing_mlflow_in_a_kernel_shows_no_progress_bar_warning(lab_home):
    # MLflow's first import pulls tqdm.auto, which warns "IProgress not found. Please update jupyter and ipywidgets"
    # in a kernel without ipywidgets: misleading in a lab's output, where there is nothing to update.
    folder = lab_home / "labs" / "quiet"
    folder.mkdir(parents=True)
    kernel = _kernel(folder)
    try:
        done = kernel.execute("import mlflow\nimport tqdm.auto\nprint('imported')")
    finally:
        kernel.shutdown()
    assert done.ok, done.text()
    assert done.stdout.strip() == "imported"
    assert "IProgress" not in done.text()
