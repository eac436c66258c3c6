"""Lab 20: automated machine learning with the SDK (v1)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "20"  # the `lab` fixture (tests/labs/conftest.py) drives this lab
REGISTER_THE_WORST = '''
from azureml.core import Run
scores = {c.id: c.get_metrics()["AUC_weighted"] for c in automl_run.get_children()}
worst = Run(automl_run.experiment, min(scores, key=scores.get))
metrics = worst.get_metrics()
worst.register_model(model_path="outputs/model.pkl", model_name="diabetes-automl", tags={"Training context": "Auto ML"},
                     properties={"AUC": metrics["AUC_weighted"], "Accuracy": metrics["accuracy"]})
'''


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_a_guardrail_status_that_automl_did_not_report_is_caught(lab):
    lab.solve(upto="configure")
    lab.run('automl_run.tag("class_balance", "Alerted")')  # the diabetes classes are balanced: it Passed
    assert "must be the status AutoML reported" in lab.failure("guardrails")


def test_mistake_registering_an_iteration_that_is_not_the_best_is_caught(lab):
    lab.solve(upto="configure")
    lab.run(REGISTER_THE_WORST)
    assert "must be the iteration with the highest AUC_weighted" in lab.failure("best-model")


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)
