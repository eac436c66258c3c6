"""Compute (AmlCompute clusters, compute instances) through the real azure-ai-ml."""

from __future__ import annotations

import json

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError

from sim.cloud import compute
from tests.rest.conftest import RG, SUB, WS


def _cluster(name="aml-cluster", **overrides):
    from azure.ai.ml.entities import AmlCompute

    spec = {"name": name, "type": "amlcompute", "size": "STANDARD_DS11_V2", "min_instances": 0,
            "max_instances": 1, "idle_time_before_scale_down": 120, "tier": "Dedicated", **overrides}
    return AmlCompute(**spec)


def _instance(name="ci-learner-1"):
    from azure.ai.ml.entities import ComputeInstance

    return ComputeInstance(name=name, size="STANDARD_DS11_V2")


def test_a_missing_compute_is_resource_not_found(ml_client):
    with pytest.raises(ResourceNotFoundError, match="computes/aml-cluster"):
        ml_client.compute.get("aml-cluster")


def test_lab04_get_or_create_then_scale_keeps_the_size(ml_client):
    from azure.ai.ml.entities import AmlCompute

    try:
        ml_client.compute.get("aml-cluster")
    except Exception:
        ml_client.compute.begin_create_or_update(_cluster()).result()
    ml_client.begin_create_or_update(AmlCompute(name="aml-cluster", max_instances=2)).result()
    cluster = ml_client.compute.get("aml-cluster")
    assert (type(cluster).__name__, cluster.size, cluster.max_instances) == ("AmlCompute", "STANDARD_DS11_V2", 2)
    assert cluster.provisioning_state == "Succeeded"


def test_a_cluster_keeps_what_it_was_created_with(ml_client):
    spec = _cluster("cpu-cluster", tier="low_priority", min_instances=1, max_instances=3,
                    idle_time_before_scale_down=600, description="training", tags={"lab": "04"})
    created = ml_client.compute.begin_create_or_update(spec).result()
    got = ml_client.compute.get("cpu-cluster")
    for found in (created, got):
        assert (found.tier, found.min_instances, found.max_instances) == ("low_priority", 1, 3)
        assert (found.idle_time_before_scale_down, found.location) == (600, "eastus")
        assert (found.description, found.tags) == ("training", {"lab": "04"})
    assert got.id.endswith(f"/resourceGroups/{RG}/providers/Microsoft.MachineLearningServices/workspaces/{WS}"
                           "/computes/cpu-cluster")


def test_an_instance_starts_stops_restarts_and_is_deleted(ml_client):
    created = ml_client.compute.begin_create_or_update(_instance()).result()
    assert (type(created).__name__, created.state, created.size) == ("ComputeInstance", "Running", "STANDARD_DS11_V2")
    ml_client.compute.begin_stop("ci-learner-1").result()
    stopped = ml_client.compute.get("ci-learner-1")
    assert (stopped.state, stopped.last_operation["operationName"]) == ("Stopped", "Stop")
    ml_client.compute.begin_start("ci-learner-1").result()
    ml_client.compute.begin_restart("ci-learner-1").result()
    assert ml_client.compute.get("ci-learner-1").state == "Running"
    ml_client.compute.begin_delete("ci-learner-1").result()
    with pytest.raises(ResourceNotFoundError):
        ml_client.compute.get("ci-learner-1")


def test_starting_a_running_instance_is_a_conflict(ml_client):
    ml_client.compute.begin_create_or_update(_instance()).result()
    with pytest.raises(ResourceExistsError, match="Running"):
        ml_client.compute.begin_start("ci-learner-1")


def test_list_all_or_by_type(ml_client):
    ml_client.compute.begin_create_or_update(_cluster()).result()
    ml_client.compute.begin_create_or_update(_instance()).result()
    assert sorted((c.name, c.type) for c in ml_client.compute.list()) == [
        ("aml-cluster", "amlcompute"), ("ci-learner-1", "computeinstance")]
    assert [c.name for c in ml_client.compute.list(compute_type="ComputeInstance")] == ["ci-learner-1"]


def test_an_unknown_vm_size_is_a_400(ml_client):
    with pytest.raises(HttpResponseError, match="STANDARD_XL_9000") as caught:
        ml_client.compute.begin_create_or_update(_cluster(size="STANDARD_XL_9000"))
    assert caught.value.status_code == 400


def test_more_cores_than_the_quota_is_quota_exceeded(ml_client):
    with pytest.raises(HttpResponseError) as caught:
        ml_client.compute.begin_create_or_update(_cluster(max_instances=100))
    assert (caught.value.status_code, caught.value.error.code) == (400, "QuotaExceeded")


def test_a_name_taken_by_another_kind_of_compute_is_a_conflict(ml_client):
    ml_client.compute.begin_create_or_update(_cluster("shared-name")).result()
    with pytest.raises(ResourceExistsError, match="AmlCompute"):
        ml_client.compute.begin_create_or_update(_instance("shared-name"))


def test_putting_an_instance_again_is_idempotent_but_cannot_resize_it(ml_client):
    from azure.ai.ml.entities import ComputeInstance

    first = ml_client.compute.begin_create_or_update(_instance()).result()
    again = ml_client.compute.begin_create_or_update(_instance()).result()
    assert again.created_on == first.created_on
    with pytest.raises(ResourceExistsError, match="VM size"):
        ml_client.compute.begin_create_or_update(ComputeInstance(name="ci-learner-1", size="STANDARD_DS3_V2"))


def test_an_instance_name_is_unique_in_the_region(ml_client, workspace):
    from sim.cloud import workspaces

    other = workspaces.create(SUB, RG, "mlw-other", location="eastus")
    compute.create_instance(other, "ci-learner-1", "STANDARD_DS11_V2")
    with pytest.raises(ResourceExistsError, match="mlw-other"):
        ml_client.compute.begin_create_or_update(_instance())


def test_deleting_a_missing_compute_is_harmless(ml_client):
    ml_client.compute.begin_delete("never-made").result()


def test_sizes_usage_and_nodes_of_the_region(ml_client):
    ml_client.compute.begin_create_or_update(_cluster(min_instances=1, max_instances=2)).result()
    sizes = {s.name: s for s in ml_client.compute.list_sizes()}
    assert sizes["STANDARD_DS11_V2"].family == "standardDSv2Family" and "STANDARD_NC6" in sizes  # eastus offers NC GPUs
    usage = {u.name["value"]: u for u in ml_client.compute.list_usage()}["standardDSv2Family"]
    assert usage.name["localizedValue"] == "Standard DSv2 Family vCPUs"
    # azure-ai-ml 1.35 copies the wire names onto Usage/VmSize (currentValue, vCPUs), not its documented ones
    assert (usage.currentValue, usage.limit) == (4, 100)  # two nodes of two cores are reserved
    nodes = list(ml_client.compute.list_nodes("aml-cluster"))
    assert [n.nodeState for n in nodes] == ["idle"]  # min_instances=1 keeps one node up (wire name again)


def test_a_provisioning_delay_is_waited_for(ml_client):
    compute.set_provisioning_delay(0.3)
    try:
        poller = ml_client.compute.begin_create_or_update(_instance())
        assert poller.status() == "InProgress" and ml_client.compute.get("ci-learner-1").state == "Creating"
        assert poller.result().state == "Running"
    finally:
        compute.set_provisioning_delay(None)


def test_patch_changes_a_clusters_scale_settings(ml_client, workspace):
    from werkzeug.test import Client

    from sim.rest import application

    ml_client.compute.begin_create_or_update(_cluster()).result()
    body = {"properties": {"properties": {"scaleSettings": {"maxNodeCount": 4, "nodeIdleTimeBeforeScaleDown":
                                                            "PT30M"}}}}
    answer = Client(application).patch(f"{workspace.arm_id}/computes/aml-cluster", data=json.dumps(body),
                                       base_url="https://management.azure.com", content_type="application/json")
    assert answer.status_code == 200
    scale = answer.json["properties"]["properties"]["scaleSettings"]
    assert scale == {"maxNodeCount": 4, "minNodeCount": 0, "nodeIdleTimeBeforeScaleDown": "PT30M"}


def test_v1_sees_a_cluster_made_with_v2_and_v2_one_made_with_v1(ml_client, workspace):
    from sim.azureml.core import Workspace
    from sim.azureml.core.compute import AmlCompute, ComputeTarget

    ml_client.compute.begin_create_or_update(_cluster(max_instances=2)).result()
    ws = Workspace(SUB, RG, WS)
    v1_cluster = ComputeTarget(ws, "aml-cluster")
    assert (type(v1_cluster).__name__, v1_cluster.vm_size, v1_cluster.scale_settings.maximum_node_count) == (
        "AmlCompute", "STANDARD_DS11_V2", 2)
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_DS3_V2", max_nodes=3)
    ComputeTarget.create(ws, "v1-cluster", config).wait_for_completion()
    from_v1 = ml_client.compute.get("v1-cluster")
    assert (from_v1.size, from_v1.max_instances, from_v1.tier) == ("STANDARD_DS3_V2", 3, "dedicated")


@pytest.mark.parametrize("seconds, text", [(120, "PT2M"), (1800, "PT30M"), (5400, "PT1H30M"), (0, "PT0S"),
                                           (61, "PT1M1S")])
def test_idle_times_are_iso_durations_both_ways(seconds, text):
    from sim.cloud.compute_resources import iso_duration, parse_duration

    assert iso_duration(seconds) == text
    assert parse_duration(text, "idle") == seconds
    assert parse_duration(f"PT{seconds}S", "idle") == seconds


def test_a_bad_duration_is_a_400():
    from sim.cloud.compute_resources import parse_duration
    from sim.cloud.errors import CloudError

    with pytest.raises(CloudError) as caught:
        parse_duration("two minutes", "idle")
    assert caught.value.status == 400
