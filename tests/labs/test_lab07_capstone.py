"""Lab 07: the capstone, with names drawn per attempt."""

from __future__ import annotations

from labs import api
from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "07"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_each_attempt_draws_its_own_names(lab):
    first = api.prepare("07").params
    assert api.solution("07", "workspace").count(first["workspace"]) >= 2
    assert first["workspace"] in api.steps("07")[0]["instructions"]
    assert lab.lab.make_params(1) != lab.lab.make_params(2)


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
