"""Lab 03: train and register models."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "03"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_registering_a_local_file(lab):
    lab.solve("train-script")
    lab.run('from azureml.core import Model\n'
            'run.download_file("outputs/diabetes_model.pkl", output_file_path="local_model.pkl")\n'
            'Model.register(ws, model_path="local_model.pkl", model_name="diabetes-model")')
    assert "registered from a local file" in lab.failure("register-model")


def test_mistake_hard_coded_properties(lab):
    lab.run('run.register_model(model_path="outputs/diabetes_model.pkl", model_name="diabetes-model", '
            'tags={"training_context": "script"}, properties={"accuracy": 0.99, "auc": 0.99})')
    assert "instead of typing them" in lab.failure("register-model")


def test_mistake_new_name_instead_of_new_version(lab):
    lab.run('config = ScriptRunConfig(source_directory="training", script="train.py", arguments=["--reg-rate", 0.01])\n'
            'r2 = Experiment(ws, "train-diabetes").submit(config)\nr2.wait_for_completion()\n'
            'r2.register_model(model_path="outputs/diabetes_model.pkl", model_name="diabetes-model-v2")')
    assert "newest version was not trained with --reg-rate 0.01" in lab.failure("second-version")


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_training_score_logged_instead_of_test_score(lab):
    lab.run('text = open("training/train.py").read().replace("model.predict(X_test) == y_test", '
            '"model.predict(X_train) == y_train")\nopen("training/train.py", "w").write(text)\n'
            'cfg = ScriptRunConfig(source_directory="training", script="train.py", arguments=["--reg-rate", 0.1])\n'
            'run = Experiment(ws, "train-diabetes").submit(cfg)\nrun.wait_for_completion()')
    assert "Compute them on X_test/y_test" in lab.failure("train-script")
