"""sim.cloud.arm: ARM template evaluation and resource group deployments into the simulated cloud."""

from __future__ import annotations

import pytest

from sim.cloud import compute, workspaces
from sim.cloud.arm import deployments
from sim.cloud.arm.template import Template
from sim.cloud.errors import CloudError

SUB = workspaces.DEFAULT_SUBSCRIPTION_ID
GROUP = {"id": f"/subscriptions/{SUB}/resourceGroups/rg-arm", "name": "rg-arm", "location": "eastus"}


def _template(resources=(), parameters=None, variables=None, values=None) -> Template:
    body = {"parameters": parameters or {}, "variables": variables or {}, "resources": list(resources)}
    return Template(body, values or {}, GROUP, SUB, "test-deployment")


def test_if_evaluates_only_the_branch_it_takes():
    template = _template()
    assert template.value("[if(true(), 'taken', reference('never').id)]") == "taken"
    assert template.value("[or(equals(1, 1), reference('never'))]") is True
    with pytest.raises(CloudError, match="'reference' is not supported"):
        template.value("[if(false(), 'no', reference('x'))]")


@pytest.mark.parametrize("expression, expected", [
    ("[resourceId('Microsoft.Storage/storageAccounts', 'st1')]",
     f"{GROUP['id']}/providers/Microsoft.Storage/storageAccounts/st1"),
    ("[resourceId('other-rg', 'Microsoft.KeyVault/vaults', 'kv')]",
     f"/subscriptions/{SUB}/resourceGroups/other-rg/providers/Microsoft.KeyVault/vaults/kv"),
    ("[resourceId('sub-2', 'rg-2', 'Microsoft.MachineLearningServices/workspaces/computes', 'ws', 'cpu')]",
     "/subscriptions/sub-2/resourceGroups/rg-2/providers/Microsoft.MachineLearningServices/workspaces/ws/computes/cpu"),
    ("[toLower(concat(resourceGroup().Location, '-', subscription().subscriptionId))]", f"eastus-{SUB}"),
    ("[[not an expression]", "[not an expression]"),
    ("[json('null')]", None),
    ("[createObject('a', union(array(1), array(2)))]", {"a": [1, 2]}),
])
def test_template_functions(expression, expected):
    assert _template().value(expression) == expected


def test_parameters_take_defaults_that_read_other_parameters_and_are_coerced():
    template = _template(parameters={
        "name": {"type": "string"}, "store": {"type": "string", "defaultValue": "[concat(parameters('name'), 'st')]"},
        "nodes": {"type": "int", "defaultValue": 1}, "hbi": {"type": "bool", "defaultValue": False},
        "tier": {"type": "string", "defaultValue": "basic", "allowedValues": ["basic", "enterprise"]}},
        values={"name": "ws", "nodes": "3", "hbi": "true", "tier": None})
    assert [template.parameter(n) for n in ("store", "nodes", "hbi", "tier")] == ["wsst", 3, True, "basic"]


@pytest.mark.parametrize("parameters, values, message", [
    ({"name": {"type": "string"}}, {}, "'name' is not provided"),
    ({}, {"extra": 1}, "no parameter(s) ['extra']"),
    ({"sku": {"type": "string", "allowedValues": ["a"]}}, {"sku": "b"}, "Allowed values"),
    ({"me": {"type": "string", "defaultValue": "[parameters('me')]"}}, {}, "refers to itself"),
])
def test_bad_parameters_are_invalid_template(parameters, values, message):
    with pytest.raises(CloudError) as caught:
        template = _template(parameters=parameters, values=values)  # unknown names fail here
        [template.parameter(name) for name in parameters]
    assert caught.value.code == "InvalidTemplate" and message in caught.value.message


def test_conditions_skip_resources_and_children_get_full_types_and_names():
    skipped = {"condition": "[equals(variables('kind'), 'hub')]", "type": "Microsoft.KeyVault/vaults", "name": "kv",
               "resources": [{"type": "secrets", "name": "s"}]}
    workspace = {"type": "Microsoft.MachineLearningServices/workspaces", "name": "ws", "location": "eastus",
                 "resources": [{"type": "computes", "name": "cpu", "properties": {"computeType": "AmlCompute"}}]}
    found = _template([skipped, workspace], variables={"kind": "default"}).resources()
    assert [(r["type"], r["name"]) for r in found] == [
        ("Microsoft.MachineLearningServices/workspaces", "ws"),
        ("Microsoft.MachineLearningServices/workspaces/computes", "ws/cpu")]


def test_copy_loops_are_refused():
    with pytest.raises(CloudError, match="copy loop"):
        _template([{"type": "Microsoft.Storage/storageAccounts", "name": "st", "copy": {"count": 2}}]).resources()


WORKSPACE_AND_COMPUTE = {
    "parameters": {"workspaceName": {"type": "string"}, "maxNodes": {"type": "int", "defaultValue": 2}},
    "resources": [
        {"type": "Microsoft.MachineLearningServices/workspaces", "name": "[parameters('workspaceName')]",
         "location": "[resourceGroup().location]", "properties": {"friendlyName": "ARM workspace"},
         "resources": [
             {"type": "computes", "name": "ci-arm", "location": "eastus",
              "properties": {"computeType": "ComputeInstance", "properties": {"vmSize": "STANDARD_DS11_V2"}}}]},
        {"type": "Microsoft.MachineLearningServices/workspaces/computes",
         "name": "[concat(parameters('workspaceName'), '/cpu-cluster')]", "location": "eastus",
         "properties": {"computeType": "AmlCompute", "properties": {
             "vmSize": "STANDARD_DS11_V2", "vmPriority": "LowPriority",
             "scaleSettings": {"minNodeCount": 0, "maxNodeCount": "[parameters('maxNodes')]",
                               "nodeIdleTimeBeforeScaleDown": "PT5M"}}}},
    ],
}


def test_deploy_creates_a_workspace_with_its_computes_and_redeploying_is_harmless(dp100_home):
    workspaces.create_resource_group(SUB, "rg-arm", "eastus")
    result = deployments.deploy(SUB, "rg-arm", "first", WORKSPACE_AND_COMPUTE, {"workspaceName": "ws-arm"})
    assert result["properties"]["provisioningState"] == "Succeeded"
    record = workspaces.get(SUB, "rg-arm", "ws-arm")
    cluster = compute.get(record, "cpu-cluster")
    assert (cluster.max_nodes, cluster.vm_priority, cluster.idle_seconds_before_scaledown) == (2, "lowpriority", 300)
    assert compute.get(record, "ci-arm").type == compute.COMPUTE_INSTANCE
    deployments.deploy(SUB, "rg-arm", "again", WORKSPACE_AND_COMPUTE, {"workspaceName": "ws-arm", "maxNodes": 4})
    assert compute.get(record, "cpu-cluster").max_nodes == 4  # incremental: the cluster is scaled, not refused
    states = [op["properties"]["statusCode"] for op in deployments.list_operations(SUB, "rg-arm", "again")]
    assert states == ["OK", "OK", "OK"]


def test_a_refused_resource_fails_and_records_the_deployment(dp100_home):
    workspaces.create_resource_group(SUB, "rg-arm", "eastus")
    with pytest.raises(CloudError) as caught:
        deployments.deploy(SUB, "rg-arm", "too-big", WORKSPACE_AND_COMPUTE,
                           {"workspaceName": "ws-arm", "maxNodes": 500})
    assert caught.value.code == "DeploymentFailed" and "QuotaExceeded" in caught.value.message
    recorded = deployments.get(SUB, "rg-arm", "too-big")["properties"]
    assert recorded["provisioningState"] == "Failed" and recorded["error"]["details"][0]["code"] == "QuotaExceeded"
    with pytest.raises(CloudError) as missing:
        deployments.get(SUB, "rg-arm", "never")
    assert (missing.value.status, missing.value.code) == (404, "DeploymentNotFound")
