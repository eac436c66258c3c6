"""Lab 23: monitor data drift (SDK v1 DataDriftDetector, a backfill on a cluster, the drifted feature found)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "23"  # the `lab` fixture (tests/labs/conftest.py) drives this lab
FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin", "BMI",
            "DiabetesPedigree", "Age"]


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_a_feature_that_did_not_drift_is_named(lab):
    lab.solve(upto="drifted-feature", through=False)
    wrong = next(f for f in FEATURES if f != lab.params["drifted"])
    lab.run(f"backfill.tag('drifted_feature', {wrong!r})\n")
    assert f"'{wrong}' is not the feature that drifted" in lab.failure("drifted-feature")


def test_reference_solution_passes_every_check_twice(lab):
    lab.solve()
    assert_all_pass(lab)
    lab.solve()
    assert_all_pass(lab)
