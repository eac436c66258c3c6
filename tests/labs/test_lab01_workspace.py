"""Lab 01: set up a workspace."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "01"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_wrong_region_is_named(lab):
    lab.reset()
    lab.run('from azureml.core import Workspace\n'
            'ws = Workspace.create(name="mlw-dp100-lab01", subscription_id="00000000-0000-0000-0000-000000000000",'
            ' resource_group="rg-dp100-lab01", create_resource_group=True, location="westeurope", sku="basic")')
    assert "wrong region or edition" in lab.failure("create-workspace")


def test_mistake_typed_resource_ids_are_caught(lab):
    lab.solve("create-workspace")
    lab.run('import json\njson.dump({"storageAccount": "mystorage", "keyVault": "mykv", '
            '"applicationInsights": "myai", "containerRegistry": "myacr"}, open("resources.json", "w"))')
    assert "copy them from ws.get_details()" in lab.failure("inspect-resources")


def test_mistake_contributor_instead_of_data_scientist(lab):
    lab.solve("compute-instance")
    lab.run('scope = ws.get_details()["id"]\n'
            '!az role assignment create --assignee ana@contoso.com --role "Contributor" --scope {scope}')
    assert "has no 'AzureML Data Scientist' role" in lab.failure("assign-role")
    lab.run('!az role assignment create --assignee ana@contoso.com --role "AzureML Data Scientist" --scope {scope}')
    assert "also holds Contributor" in lab.failure("assign-role")


def test_mistake_cluster_instead_of_instance(lab):
    lab.reset()
    lab.solve("write-config")
    lab.run('from azureml.core.compute import AmlCompute, ComputeTarget\n'
            'cfg = AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2", max_nodes=1)\n'
            'ComputeTarget.create(ws, "ci-dp100-lab01", cfg).wait_for_completion()')
    assert "is not a compute instance" in lab.failure("compute-instance")


def test_a_new_workspace_has_no_registry_and_a_made_up_one_is_named(lab):
    lab.solve("create-workspace")
    printed = lab.run('print("containerRegistry" in ws.get_details())').text()
    assert "False" in printed
    lab.run('import json\nkeys = ("storageAccount", "keyVault", "applicationInsights")\n'
            'doc = {k: ws.get_details()[k] for k in keys}\n'
            'doc["containerRegistry"] = ws.get_details()["id"] + "/registries/myacr"\n'
            'json.dump(doc, open("resources.json", "w"))')
    assert "names a container registry the workspace does not have" in lab.failure("inspect-resources")


def test_the_role_step_passes_with_az_in_the_cell(lab):
    lab.solve("create-workspace")
    lab.run('scope = ws.get_details()["id"]\n'
            '!az role assignment create --assignee ana@contoso.com --role "AzureML Data Scientist" --scope {scope}')
    assert lab.check("assign-role").passed
