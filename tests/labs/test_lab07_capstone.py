"""Lab 07: the capstone, with names drawn per attempt."""

from __future__ import annotations

from labs import api
from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
LAB_ID = "07"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_each_attempt_draws_its_own_names(lab):
    first = api.prepare("07").params
    assert api.solution("07", "workspace").count(first["workspace"]) >= 2
    assert first["workspace"] in api.steps("07")[0]["instructions"]
    assert lab.lab.make_params(1) != lab.lab.make_params(2)


def test_the_capstone_cluster_fits_beside_what_the_guided_labs_leave():
    # A fresh home (no `lab` fixture): what labs 01 and 05 leave in eastus (lab 05 also lowers the subscription's
    # DSv2 quota there to 8 cores), then the largest capstone cluster in every region an attempt can draw.
    from sim.cloud import compute, workspaces

    capstone_checks = api.get_lab("07").module
    guided = workspaces.create(SUBSCRIPTION, "rg-guided", "mlw-guided", location="eastus")
    compute.set_quota_limit(guided, "standardDSv2Family", 8)
    compute.create_instance(guided, "ci-dp100-lab01", "STANDARD_DS11_V2")
    compute.create_cluster(guided, "cpu-cluster-lab05", "STANDARD_DS11_V2", max_nodes=2)
    for region in capstone_checks.REGIONS:
        ws = workspaces.create(SUBSCRIPTION, f"rg-cap-{region}", f"mlw-cap-{region}", location=region)
        compute.create_cluster(ws, "cc-largest", capstone_checks.SIZE, max_nodes=3)


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_training_locally(lab):
    lab.run('local = ScriptRunConfig(source_directory="capstone", script="train.py", arguments=["--input-data", '
            'dataset.as_named_input("training_data"), "--reg-rate", {{reg_rate}}], environment=env)\n'
            'run = Experiment(ws, "{{experiment}}").submit(local)\nrun.wait_for_completion()')
    assert "must run on the cluster" in lab.failure("train")


def test_mistake_wrong_regularization_rate(lab):
    lab.run('cfg = ScriptRunConfig(source_directory="capstone", script="train.py", arguments=["--input-data", '
            'dataset.as_named_input("training_data"), "--reg-rate", 1.0], compute_target=cluster, environment=env)\n'
            'run = Experiment(ws, "{{experiment}}").submit(cfg)\nrun.wait_for_completion()')
    assert "must be the attempt's rate" in lab.failure("train")


def test_a_reset_draws_new_names_and_deletes_the_old_workspace(lab):
    from labs.checklib import find_workspace

    before = api.prepare("07").params
    assert find_workspace(before["resource_group"], before["workspace"]) is not None
    lab.reset()
    assert api.prepare("07").params != before
    assert find_workspace(before["resource_group"], before["workspace"]) is None
