"""Probe: a hidden-home kernel cannot fill the disk through the simulated Azure service.

The lab folder's quota stops a kernel that writes its own files; what it asks the service to store (MLflow
artifacts, datastore uploads, run files) lands under DP100_HOME's `cloud/`, and before the storage ceiling a loop of
`mlflow.log_text` of 50 MB each filled it with no limit. With a ceiling of 8 MB the loop is refused within two
writes, with the service's sentence, and the service keeps answering.
"""

from __future__ import annotations

import json

import pytest

from labs import sandbox
from sim.cloud import storage_ceiling
from tests.faults._hidden import hidden_kernel_in

pytestmark = pytest.mark.skipif(sandbox.isolation().bwrap is None, reason="needs bubblewrap")

PROBE = '''
import json, os
import mlflow
from azureml.core import Experiment, Workspace

ws = Workspace.create(name="full-ws", subscription_id="00000000-0000-0000-0000-0000000000b0", resource_group="rg",
                      location="eastus", create_resource_group=True, show_output=False)
mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())
mlflow.set_experiment("fill")
seen = {"logged": 0, "refusal": None}
with mlflow.start_run():
    for i in range(20):  # 3 MB each: 60 MB without a ceiling
        try:
            mlflow.log_text("x" * (3 * 1024 * 1024), f"a{i}.txt")
            seen["logged"] += 1
        except Exception as exc:
            seen["refusal"] = str(exc)
            break
open("big.bin", "wb").write(b"b" * (12 * 1024 * 1024))
try:
    ws.get_default_datastore().upload_files(["big.bin"], target_path="data", show_progress=False)
    seen["upload"] = "done"
except Exception as exc:
    seen["upload"] = str(exc)
seen["still answers"] = [e.name for e in mlflow.search_experiments()]
print(json.dumps(seen))
'''


@pytest.fixture
def hidden_kernel(monkeypatch, dp100_home):
    monkeypatch.setenv(storage_ceiling.QUOTA_ENV, "8")  # the service started for this home gets it
    with hidden_kernel_in(monkeypatch, dp100_home / "labs" / "full") as kernel:
        yield kernel


def test_a_sandboxed_kernel_cannot_fill_the_disk_through_the_service(hidden_kernel, dp100_home):
    result = hidden_kernel.execute(PROBE)
    assert result.ok, result.text()
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert 1 <= seen["logged"] <= 2, seen
    assert "storage is full" in seen["refusal"] and "ceiling of 8 MB" in seen["refusal"], seen["refusal"]
    assert "storage is full" in seen["upload"], seen["upload"]
    assert "fill" in seen["still answers"]
    assert storage_ceiling.disk_use(dp100_home / "cloud") < 8 * storage_ceiling.MB
