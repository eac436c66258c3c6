"""Lab 16: a training pipeline from components (SDK v2)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "16"  # the `lab` fixture (tests/labs/conftest.py) drives this lab
FORGETS_THE_RATE = '''
@pipeline()
def forgets_the_rate(pipeline_job_input, reg_rate):
    clean_data = prep_data(input_data=pipeline_job_input)
    trained = train_model(training_data=clean_data.outputs.output_data)
    return {"pipeline_job_trained_model": trained.outputs.model_output}

job = forgets_the_rate(Input(type=AssetTypes.URI_FILE, path="azureml:diabetes-data:1"), reg_rate=0.1)
job.settings.default_compute = "aml-cluster"
ml_client.jobs.stream(ml_client.jobs.create_or_update(job, experiment_name="pipeline_diabetes").name)
'''


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_a_rate_not_passed_to_the_step_is_named(lab):
    lab.solve(upto="pipeline")
    lab.run(FORGETS_THE_RATE)  # both steps are reused: the training step never saw 0.1
    assert "reg_rate 0.1" in lab.failure("reuse")


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)
