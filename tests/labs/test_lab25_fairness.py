"""Lab 25: detect and mitigate unfairness (SDK v1, fairlearn, azureml-contrib-fairness)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "25"  # the `lab` fixture (tests/labs/conftest.py) drives this lab
# GridSearch's most disparate candidate registered as the "mitigated" model: its disparity is higher, not lower.
WORST_CANDIDATE = '''
worst = max(candidates, key=lambda c: c[2])[0]
joblib.dump(value=worst, filename="diabetes_mitigated.pkl")
Model.register(workspace=ws, model_path="diabetes_mitigated.pkl", model_name="diabetes_mitigated")
'''


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_a_more_disparate_candidate_is_refused(lab):
    lab.run(WORST_CANDIDATE)
    assert "must have a lower equalized odds difference" in lab.failure("mitigate")


def test_the_first_starter_imports_everything_the_first_solution_imports():
    # A learner who starts from the starter must not meet a NameError for a name the instructions use
    # (FairnessDashboard was missing: the instructions named it without saying where it comes from).
    from labs.spec import get_lab

    step = get_lab(LAB_ID).spec.step("assess")

    def imports(code: str) -> set[str]:
        return {line.strip() for line in code.splitlines() if line.startswith(("import ", "from "))}

    assert imports(step.solution) <= imports(step.starter), imports(step.solution) - imports(step.starter)
