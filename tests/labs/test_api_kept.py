"""What a reloaded Labs page shows again: each step's last cell outputs and its last check report, kept in the
lab folder; a new run of the cell drops the report that judged the state before it."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from labs import api, state
from labs.kernel import CellResult

STEP = "create-workspace"


@pytest.fixture
def folder():
    attempt = api.prepare("01")
    yield attempt.folder
    api.close_all()


def test_a_cells_outputs_are_kept_per_step(folder):
    assert api.last_outputs("01", STEP) is None
    result = api.run_cell("01", STEP, 'print("kept", 6 * 7)')
    kept = api.last_outputs("01", STEP)
    assert kept == result and "kept 42" in kept.stdout
    assert api.last_outputs("01", "inspect-resources") is None, "another step's outputs are its own"


def test_outputs_too_large_to_keep_say_so_in_the_learners_language(folder):
    huge = CellResult(status="ok", outputs=[{"type": "stream", "name": "stdout",
                                             "text": "x" * (state.MAX_KEPT_OUTPUT_CHARS + 1)}])
    state.save_outputs(folder, STEP, asdict(huge))
    kept = api.last_outputs("01", STEP, "pt-BR")
    assert kept.outputs == [] and kept.status == "ok" and "grandes demais" in kept.message


def test_a_check_report_is_kept_until_the_cell_runs_again(folder):
    report = api.check_step("01", STEP)
    kept = api.last_report("01", STEP)
    assert kept is not None and not kept.passed
    assert [(r.name, r.passed, r.not_run) for r in kept.results] == [(r.name, r.passed, r.not_run)
                                                                     for r in report.results]
    assert kept.message_in("pt-BR") == report.message_in("pt-BR")
    api.run_cell("01", STEP, "x = 1")
    assert api.last_report("01", STEP) is None, "the report judged the state before this run"


def test_a_reset_forgets_outputs_and_reports(folder):
    api.run_cell("01", STEP, "print(1)")
    api.check_step("01", STEP)
    api.reset_lab("01", confirm=True)
    assert api.last_outputs("01", STEP) is None and api.last_report("01", STEP) is None
