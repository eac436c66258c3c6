"""Lab 09: workspace and developer tools (CLI v2 and SDK v2)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "09"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_a_compute_list_from_memory_is_caught(lab):
    lab.run('import json\njson.dump({"aml-cluster": "amlcompute"}, open("computes.json", "w"))')
    assert "does not list the workspace's compute" in lab.failure("connect")
    lab.run(lab.lab.spec.step("connect").solution)


def test_mistake_typed_workspace_details_are_caught(lab):
    lab.run('import json\nd = json.load(open("workspace-details.json"))\nd["key_vault"] = "kv-mine"\n'
            'json.dump(d, open("workspace-details.json", "w"))')
    assert "not this workspace's" in lab.failure("workspace-details")
    lab.run(lab.lab.spec.step("workspace-details").solution)


def test_a_running_instance_is_named(lab):
    lab.run('ml_client.compute.begin_start("{{instance}}").result()')
    assert "Running" in lab.failure("stop-instance")
    lab.run(lab.lab.spec.step("stop-instance").solution)
    assert lab.check("stop-instance").passed
