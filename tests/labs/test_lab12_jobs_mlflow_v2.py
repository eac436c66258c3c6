"""Lab 12: track training jobs with MLflow (SDK v2)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "12"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_copy_of_a_job_without_its_experiment_is_named(lab):
    lab.solve("tracked-job")
    lab.run("ml_client.jobs.stream(ml_client.create_or_update(job(reg_rate=0.1)).name)")
    assert "does not keep experiment_name" in lab.failure("second-rate")


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_champion_picked_among_every_model_is_caught(lab):
    lab.run('tree = mlflow.search_runs(experiment_names=["diabetes-mlflow"], '
            'filter_string="tags.model_type = \'DecisionTree\'").iloc[0]\n'
            'mlflow.MlflowClient().set_tag(tree.run_id, "champion", "true")')
    assert "must be the LogisticRegression run" in lab.failure("search-runs")
