"""Lab 05: compute and environments."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "05"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_azureml_defaults_as_conda_package(lab):
    lab.run('from azureml.core import Environment, Workspace\nws = Workspace.from_config()\n'
            'open("bad.yml", "w").write("name: diabetes-env\\ndependencies:\\n  - python=3.11\\n  - scikit-learn\\n'
            '  - pandas\\n  - joblib\\n  - azureml-defaults\\n")\n'
            'Environment.from_conda_specification("diabetes-env", "bad.yml").register(workspace=ws)')
    assert "must be a pip package" in lab.failure("conda-environment")


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_running_locally_instead_of_on_the_cluster(lab):
    lab.run('cfg = ScriptRunConfig(source_directory="training", script="train.py", arguments=["--reg-rate", 0.05],'
            ' environment=registered_env)\nExperiment(ws, "train-on-cluster").submit(cfg).wait_for_completion()')
    assert "not on the cluster" in lab.failure("run-on-cluster")


def test_mistake_default_environment(lab):
    lab.run('cfg = ScriptRunConfig(source_directory="training", script="train.py", arguments=["--reg-rate", 0.05],'
            ' compute_target=cluster)\nExperiment(ws, "train-on-cluster").submit(cfg).wait_for_completion()')
    assert "did not use the registered environment" in lab.failure("run-on-cluster")
