"""Lab 18: create and publish a pipeline (SDK v1)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "18"  # the `lab` fixture (tests/labs/conftest.py) drives this lab
REGENERATES_EVERY_TIME = '''
for _ in range(2):
    experiment.submit(pipeline, regenerate_outputs=True).wait_for_completion(show_output=False)
'''


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_regenerating_every_run_is_named(lab):
    lab.solve(upto="pipeline")
    lab.run(REGENERATES_EVERY_TIME)  # every step ran each time: nothing was ever reused
    assert "reused both steps from an earlier run" in lab.failure("reuse")


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)
