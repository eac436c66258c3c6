"""Lab 22: differential privacy with SmartNoise over OpenDP (SDK v1 runs hold the results)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "22"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_the_exact_mean_logged_as_private_is_named(lab):
    lab.run("import pandas as pd\nfrom azureml.core import Experiment, Workspace\n"
            "ws = Workspace.from_config()\ndiabetes = pd.read_csv('data/diabetes.csv')\n"
            "run = Experiment(ws, 'dp-explore').start_logging()\nrun.log('epsilon', 0.5)\n"
            "run.log('private_mean_age', diabetes.Age.mean())\nrun.log('actual_mean_age', diabetes.Age.mean())\n"
            "run.complete()\n")
    assert "no noise was added" in lab.failure("private-mean")


def test_mistake_one_epsilon_for_every_release_is_named(lab):
    lab.run("run = Experiment(ws, 'dp-explore').start_logging()\n"
            "run.log_table('epsilon_tradeoff', {'epsilon': [0.05, 0.1, 0.5, 1.0, 5.0], "
            "'mean_abs_error': [0.05, 0.06, 0.05, 0.04, 0.05]})\nrun.complete()\n")
    assert "do not shrink as epsilon grows" in lab.failure("epsilon-tradeoff")


def test_reference_solution_passes_every_check_twice(lab):
    lab.solve()
    assert_all_pass(lab)
    lab.solve()
    assert_all_pass(lab)
