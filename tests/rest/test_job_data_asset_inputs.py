"""A command job whose input names a registered data asset (`azureml:<name>:<version>`), as lab notebooks write it:
azure-ai-ml sends the asset's ARM id (`/subscriptions/.../data/<name>/versions/<v>`), which the job binds to the
asset's file."""

from __future__ import annotations

import time

from sim.cloud import data_uris


def test_a_data_asset_arm_id_is_a_data_uri(workspace):
    from sim.cloud import data_assets

    data_assets.create_or_update(workspace, "rows", "1", data_type="uri_file",
                                 path="azureml://datastores/workspaceblobstore/paths/rows/rows.csv")
    arm_id = f"{workspace.arm_id}/data/rows/versions/1"
    assert data_uris.is_data_asset_uri(arm_id) and data_uris.is_data_asset_uri(f"azureml:/{arm_id}")
    assert data_uris.local_path(workspace, arm_id) == data_uris.local_path(workspace, "azureml:rows:1")


def test_a_job_reads_a_data_asset_named_in_its_input(ml_client, workspace, tmp_path):
    from azure.ai.ml import Input, command
    from azure.ai.ml.entities import Data

    (tmp_path / "rows.csv").write_text("a,b\n1,2\n3,4\n5,6\n")
    src = tmp_path / "src"
    src.mkdir()
    (src / "count.py").write_text("import sys\nprint('rows:', len(open(sys.argv[1]).read().splitlines()) - 1)\n")
    ml_client.data.create_or_update(Data(name="rows", version="1", type="uri_file", path=str(tmp_path / "rows.csv")))
    job = ml_client.create_or_update(command(
        code=str(src), command="python count.py ${{inputs.table}}", environment="AzureML-sklearn-1.5@latest",
        inputs={"table": Input(type="uri_file", path="azureml:rows:1")}))
    deadline = time.monotonic() + 60
    while ml_client.jobs.get(job.name).status not in ("Completed", "Failed", "Canceled") and \
            time.monotonic() < deadline:
        time.sleep(0.1)
    from sim.cloud.runs import files

    log = files.read_text(workspace, job.name, "user_logs/std_log.txt")
    assert ml_client.jobs.get(job.name).status == "Completed", log
    assert "rows: 3" in log
