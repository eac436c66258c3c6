"""Compute clusters and instances, the way the DP-100 labs create and use them."""

from __future__ import annotations

import pytest

SUB = "00000000-0000-0000-0000-000000000000"


pytestmark = pytest.mark.usefixtures("sim_active")


@pytest.fixture()
def ws():
    from azureml.core import Workspace

    return Workspace.create(name="aml-workspace", subscription_id=SUB, resource_group="aml-resources",
                            location="eastus", show_output=False)


def make_cluster(ws, name="cpu-cluster", **config):
    from azureml.core.compute import AmlCompute, ComputeTarget

    config = {"vm_size": "STANDARD_DS11_V2", "max_nodes": 2, **config}
    return ComputeTarget.create(ws, name, AmlCompute.provisioning_configuration(**config))


def test_lab_pattern_find_or_create_cluster(ws, capsys):
    from azureml.core.compute import AmlCompute, ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    with pytest.raises(ComputeTargetException, match="ComputeTargetNotFound"):
        ComputeTarget(workspace=ws, name="cpu-cluster")
    cluster = ComputeTarget.create(ws, "cpu-cluster",
                                   AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2", max_nodes=2))
    cluster.wait_for_completion(show_output=True)
    out = capsys.readouterr().out
    assert 'Provisioning operation finished, operation "Succeeded"' in out
    assert "Minimum number of nodes requested have been provisioned" in out
    found = ComputeTarget(workspace=ws, name="cpu-cluster")
    assert isinstance(found, AmlCompute) and found == cluster
    assert (found.type, found.vm_size, found.provisioning_state) == ("AmlCompute", "STANDARD_DS11_V2", "Succeeded")
    assert found.scale_settings.maximum_node_count == 2


def test_get_status(ws):
    cluster = make_cluster(ws, min_nodes=1)
    status = cluster.get_status()
    assert status.allocation_state == "Steady"
    assert status.current_node_count == 1
    assert status.provisioning_state == "Succeeded"
    assert status.serialize()["scaleSettings"] == {"minNodeCount": 1, "maxNodeCount": 2,
                                                   "nodeIdleTimeBeforeScaleDown": "PT1800S"}


def test_compute_targets_list_and_delete(ws):
    from azureml.core.compute import ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    make_cluster(ws, "cluster-a")
    make_cluster(ws, "cluster-b")
    assert sorted(ws.compute_targets) == ["cluster-a", "cluster-b"]
    assert [t.name for t in ComputeTarget.list(ws)] == ["cluster-a", "cluster-b"]
    ws.compute_targets["cluster-a"].delete()
    assert list(ws.compute_targets) == ["cluster-b"]
    with pytest.raises(ComputeTargetException):
        ComputeTarget(ws, "cluster-a")


def test_duplicate_name_and_bad_names(ws):
    from azureml.core.compute_target import ComputeTargetException

    make_cluster(ws)
    with pytest.raises(ComputeTargetException, match="already exists"):
        make_cluster(ws)
    for bad in ("1starts-with-digit", "xy", "has_underscore", "a" * 25):
        with pytest.raises(ComputeTargetException, match="is invalid"):
            make_cluster(ws, bad)


def test_provisioning_configuration_checks():
    from azureml.core.compute import AmlCompute
    from azureml.core.compute_target import ComputeTargetException

    with pytest.raises(ComputeTargetException, match="max nodes count is mandatory"):
        AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2")
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2", min_nodes=0, max_nodes=4,
                                                   idle_seconds_before_scaledown=600, vm_priority="lowpriority")
    assert config.scale_settings.idle_seconds_before_scaledown == 600
    assert config.vm_priority == "lowpriority"


@pytest.mark.parametrize("config, message", [
    ({"vm_size": "STANDARD_XYZ"}, "is not supported in region"),
    ({"min_nodes": 3, "max_nodes": 2}, "Invalid node counts"),
    ({"vm_priority": "spot"}, "Invalid vm_priority"),
    ({"vm_size": ""}, "vm_size is required"),
])
def test_bad_cluster_settings(ws, config, message):
    from azureml.core.compute_target import ComputeTargetException

    with pytest.raises(ComputeTargetException, match=message):
        make_cluster(ws, **config)
    assert ws.compute_targets == {}


def test_gpu_size_missing_from_region_fails_as_azure():
    from azureml.core import Workspace
    from azureml.core.compute import AmlCompute
    from azureml.core.compute_target import ComputeTargetException

    ws = Workspace.create(name="uk-west-ws", subscription_id=SUB, resource_group="rg-ukw", location="ukwest",
                          show_output=False)
    with pytest.raises(ComputeTargetException, match="STANDARD_NC6S_V3.*not available in region 'ukwest'"):
        make_cluster(ws, "gpu-cluster", vm_size="STANDARD_NC6S_V3", max_nodes=1)
    sizes = {s["name"]: s for s in AmlCompute.supported_vmsizes(ws)}
    assert "STANDARD_NC6S_V3" not in sizes
    assert sizes["STANDARD_DS11_V2"] == {"name": "STANDARD_DS11_V2", "vCPUs": 2, "gpus": 0, "memoryGB": 14.0,
                                         "maxResourceVolumeMB": 28672}
    eastus = {s["name"] for s in AmlCompute.supported_vmsizes(ws, location="eastus")}
    assert "STANDARD_NC6S_V3" in eastus


def test_family_core_quota_is_enforced_across_workspaces(ws):
    from azureml.core import Workspace
    from azureml.core.compute import AmlCompute
    from azureml.core.compute_target import ComputeTargetException

    make_cluster(ws, "gpu-a", vm_size="STANDARD_NC6S_V3", max_nodes=2)  # 12 of 24 NCSv3 cores
    other = Workspace.create(name="other-ws", subscription_id=SUB, resource_group="rg-2", location="eastus",
                             show_output=False)
    with pytest.raises(ComputeTargetException, match="exceeding approved standardNCSv3Family Cores quota.*"
                                                     "Current Limit: 24, Current Usage: 12, Additional Required: 18"):
        make_cluster(other, "gpu-b", vm_size="STANDARD_NC6S_V3", max_nodes=3)
    AmlCompute.update_quotas(other, "standardNCSv3Family", limit=48)
    make_cluster(other, "gpu-b", vm_size="STANDARD_NC6S_V3", max_nodes=3)
    usage = {u["name"]["value"]: u["currentValue"] for u in AmlCompute.list_usages(ws)}
    assert usage["standardNCSv3Family"] == 30
    ws.compute_targets["gpu-a"].delete()
    usage = {u["name"]["value"]: u["currentValue"] for u in AmlCompute.list_usages(ws)}
    assert usage["standardNCSv3Family"] == 18


def test_update_cluster_scale(ws):
    cluster = make_cluster(ws)
    cluster.update(min_nodes=1, max_nodes=3, idle_seconds_before_scaledown=120)
    assert cluster.get_status().current_node_count == 1
    assert cluster.scale_settings.maximum_node_count == 3


def test_compute_instance_lifecycle(ws, capsys):
    from azureml.core.compute import AmlCompute, ComputeInstance, ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    config = ComputeInstance.provisioning_configuration(vm_size="STANDARD_DS11_V2")
    instance = ComputeTarget.create(ws, "learner-ci-1", config)
    instance.wait_for_completion(show_output=True)
    assert isinstance(instance, ComputeInstance)
    assert instance.get_status().state == "Running"
    instance.stop()
    assert ComputeTarget(ws, "learner-ci-1").get_status().state == "Stopped"
    with pytest.raises(ComputeTargetException, match="is Stopped; it cannot be stopped"):
        instance.stop()
    instance.start()
    assert instance.get_status().state == "Running"
    with pytest.raises(ComputeTargetException, match="is of type ComputeInstance, not AmlCompute"):
        AmlCompute(ws, "learner-ci-1")
    instance.delete()
    assert ws.compute_targets == {}


def test_compute_instance_names_are_unique_per_region(ws):
    from azureml.core import Workspace
    from azureml.core.compute import ComputeInstance, ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    config = ComputeInstance.provisioning_configuration(vm_size="STANDARD_DS3_V2")
    ComputeTarget.create(ws, "shared-name", config)
    same_region = Workspace.create(name="ws-east-2", subscription_id=SUB, resource_group="rg-3", location="eastus",
                                   show_output=False)
    with pytest.raises(ComputeTargetException, match="unique within an Azure region"):
        ComputeTarget.create(same_region, "shared-name", config)
    other_region = Workspace.create(name="ws-west", subscription_id=SUB, resource_group="rg-4",
                                    location="westus2", show_output=False)
    assert ComputeTarget.create(other_region, "shared-name", config).name == "shared-name"


def test_realistic_delay_shows_creating_then_succeeded(ws, monkeypatch):
    from sim.cloud import compute

    monkeypatch.setenv(compute.DELAY_ENV, "0.3")
    cluster = make_cluster(ws)
    assert cluster.provisioning_state == "Creating"
    assert cluster.get_status().provisioning_state == "Creating"
    cluster.wait_for_completion()
    assert cluster.provisioning_state == "Succeeded"


def test_unsimulated_compute_types_say_so(ws):
    from azureml.core.compute import AksCompute, DatabricksCompute

    with pytest.raises(NotImplementedError, match="AksCompute is not simulated"):
        AksCompute(ws, "aks")
    with pytest.raises(NotImplementedError, match="not simulated"):
        DatabricksCompute.attach_configuration(resource_group="rg")


def test_contract_get_compute_record(ws):
    from sim.cloud import compute

    make_cluster(ws, max_nodes=3)
    record = compute.get(ws._record, "CPU-CLUSTER")
    assert (record.name, record.type, record.vm_size, record.max_nodes, record.provisioning_state) == (
        "cpu-cluster", "AmlCompute", "STANDARD_DS11_V2", 3, "Succeeded")


def test_cluster_status_counts_the_nodes_running_jobs(ws, tmp_path):
    import time

    from azureml.core import Experiment, ScriptRunConfig

    cluster = make_cluster(ws, max_nodes=2)
    release = tmp_path / "release"
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "hold.py").write_text(
        "import os, sys, time\n"
        "deadline = time.time() + 60\n"
        "while not os.path.exists(sys.argv[1]) and time.time() < deadline:\n"
        "    time.sleep(0.05)\n")
    config = ScriptRunConfig(source_directory=str(tmp_path / "src"), script="hold.py", arguments=[str(release)],
                             compute_target="cpu-cluster")
    run = Experiment(ws, "hold-a-node").submit(config)
    try:
        deadline = time.monotonic() + 60
        while cluster.get_status().current_node_count == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        status = cluster.get_status()
        assert status.current_node_count == 1
        assert status.node_state_counts.running_node_count == 1
        assert [n["nodeState"] for n in cluster.list_nodes()] == ["running"]
    finally:
        release.write_text("go")
        run.wait_for_completion()
    assert cluster.get_status().current_node_count == 0


def test_instance_stop_and_start_pass_through_transitional_states(ws, monkeypatch):
    from azureml.core.compute import ComputeInstance, ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    from sim.cloud import compute

    instance = ComputeTarget.create(ws, "slow-ci", ComputeInstance.provisioning_configuration("STANDARD_DS3_V2"))
    monkeypatch.setenv(compute.DELAY_ENV, "0.3")
    instance.stop()
    assert instance.get_status().state == "Stopping"
    with pytest.raises(ComputeTargetException, match="is Stopping; it cannot be started"):
        instance.start()
    instance.wait_for_completion()
    assert instance.get_status().state == "Stopped"
    instance.start(wait_for_completion=True)
    assert instance.get_status().state == "Running"
