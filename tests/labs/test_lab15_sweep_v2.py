"""Lab 15: tune hyperparameters with sweep jobs (SDK v2)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "15"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_champion_on_a_trial_that_is_not_the_best_is_caught(lab):
    lab.run('worst = min(ml_client.jobs.list(parent_job_name=grid_sweep.name), '
            'key=lambda t: mlflow.get_run(t.name).data.metrics["AUC"]).name\n'
            'mlflow.MlflowClient().set_tag(worst, "champion", "true")')
    assert "must be the grid sweep's trial with the highest AUC" in lab.failure("best-trial")


def test_mistake_a_bandit_policy_with_bayesian_sampling_is_refused_by_the_service(lab):
    result = lab.run("bad = job(reg_rate=Choice(values=[0.1, 1])).sweep(compute='aml-cluster', "
                     "sampling_algorithm='bayesian', primary_metric='AUC', goal='Maximize', "
                     "early_termination_policy=BanditPolicy(slack_factor=0.1))\n"
                     "bad.experiment_name = 'sweep-diabetes'\nml_client.create_or_update(bad)", ok=False)
    assert "No early termination policy is supported with Bayesian sampling" in result.text()
