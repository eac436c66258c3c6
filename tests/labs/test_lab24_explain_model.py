"""Lab 24: explain a model (SDK v1, azureml-interpret)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "24"  # the `lab` fixture (tests/labs/conftest.py) drives this lab
OTHER_MODEL_EXPLAINED = '''
from sklearn.linear_model import LogisticRegression

other = LogisticRegression(max_iter=1000).fit(X_train, y_train)
wrong = TabularExplainer(other, X_train, features=features, classes=labels).explain_local(X_test[0:2])
ExplanationClient.from_run(run).upload_model_explanation(wrong, comment="Local explanation: first two test patients")
'''

# The right model explained with its feature names in the wrong order: the importances land on the wrong names.
MISNAMED_FEATURES = '''
misnamed = TabularExplainer(model, X_train, features=list(reversed(features)), classes=labels).explain_global(X_test)
ExplanationClient.from_run(run).upload_model_explanation(misnamed, comment="Tabular Explanation")
'''


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_a_local_explanation_of_another_model_does_not_add_up(lab):
    lab.run(OTHER_MODEL_EXPLAINED)  # the newest local explanation now explains a logistic regression
    assert "do not add up to what the registered model predicts" in lab.failure("explain-patients")


def test_mistake_misnamed_features_are_not_the_models_top_features(lab):
    lab.run(MISNAMED_FEATURES)  # the newest 'Tabular Explanation' on the run now names the features backwards
    assert "top 3 features are not those of the registered model" in lab.failure("register-and-read")


def test_mistake_a_newer_version_registered_from_a_file_is_not_linked_to_the_run(lab):
    # Model.register from the downloaded file: Model(ws, 'diabetes-explained') now loads a version with no run, even
    # though an older one is linked; the check judges the newest version, the one step 3 loads.
    lab.run('from azureml.core import Model\n'
            'Model.register(ws, model_path="explained-model/diabetes.pkl", model_name="diabetes-explained")')
    assert "was registered from a file, not from a run" in lab.failure("register-and-read")
