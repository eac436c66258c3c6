"""The public API and `dp100 lab ...` commands, on the capstone (its set-up only writes data)."""

from __future__ import annotations

import json

import pytest

from dp100 import cli
from labs import api
from labs.spec import catalog
from progress.record import Record


@pytest.fixture(scope="module")
def lab_home(tmp_path_factory):
    """This module starts lab 07 over several times, so it gets a home of its own."""
    home = tmp_path_factory.mktemp("apihome")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DP100_HOME", str(home))
        mp.delenv("DP100_DATABASE_URL", raising=False)
        yield home


@pytest.fixture(scope="module")
def session(lab_home):
    yield api.open_session("07")
    api.close_all()


LAB_IDS = [f"{n:02d}" for n in range(1, 26)]


def test_catalog_has_the_labs_with_both_languages():
    labs = catalog()
    assert list(labs) == LAB_IDS
    for lab in labs.values():
        assert lab.spec.title.en and lab.spec.title.pt_BR
        for step in lab.spec.steps:
            assert step.instructions.en.strip() and step.instructions.pt_BR.strip()
            assert all(h.en and h.pt_BR for h in step.hints)


def test_list_labs_cards_carry_progress(lab_home):
    cards = api.list_labs("pt-BR")
    assert [c["id"] for c in cards] == LAB_IDS
    assert cards[0]["title"] == "Configurar um workspace do Azure Machine Learning"
    # two steps at least (lab 21, the v2 AutoML job, has two: submit the job, register its best model)
    assert all(c["passed"] == 0 and c["steps"] >= 2 and c["minutes"] > 0 for c in cards)


def test_cli_list_and_start(lab_home, capsys):
    assert cli.main(["lab", "list"]) == 0
    assert "07  Capstone: the eight steps" in capsys.readouterr().out
    assert cli.main(["lab", "start", "7"]) == 0
    out = capsys.readouterr().out
    assert "07-capstone" in out and (lab_home / "labs" / "07-capstone" / "data" / "diabetes.csv").is_file()


def test_cli_rejects_unknown_lab_and_step(lab_home, capsys):
    assert cli.main(["lab", "check", "42"]) == 2
    assert "There is no lab '42'" in capsys.readouterr().err
    assert cli.main(["lab", "check", "07", "--step", "nope"]) == 2
    assert "has no step 'nope'" in capsys.readouterr().err


def test_cli_check_prints_a_table_and_fails_on_an_untouched_lab(lab_home, capsys):
    assert cli.main(["lab", "check", "07"]) == 1
    out = capsys.readouterr().out
    assert "✗ workspace" in out and "✗ deploy" in out and "expected:" in out
    assert Record().lab_steps("07")["workspace"]["passed"] is False


def test_hints_are_progressive_and_recorded(session):
    first = api.next_hint("07", "workspace")
    second = api.next_hint("07", "workspace")
    third = api.next_hint("07", "workspace")
    assert len(first) == 1 and len(second) == 2 and third == second
    assert session.attempt.params["workspace"] in second[-1]
    assert api.steps("07")[0]["hints_used"] == 2


def test_jump_to_runs_earlier_solutions_and_check_passes(session, capsys):
    results = session.jump_to("connect")
    assert [r.ok for r in results] == [True]
    assert cli.main(["lab", "check", "07", "--step", "workspace"]) == 0
    assert "✓ workspace" in capsys.readouterr().out
    row = Record().lab_steps("07")["workspace"]
    assert row["passed"] is True and row["hints_used"] == 2 and row["solution_shown"] is False


def test_solution_marks_the_step_and_fills_names(session):
    code = api.solution("07", "connect")
    assert "ws.write_config" in code
    assert api.steps("07")[1]["solution_shown"] is True
    assert api.check_step("07", "connect").passed is False
    assert session.run(code).ok
    report = api.check_step("07", "connect")
    assert report.passed and Record().lab_steps("07")["connect"]["solution_shown"] is True


def test_notebook_command_writes_the_attempts_names(lab_home, session, capsys):
    assert cli.main(["lab", "notebook", "07", "--language", "pt-BR"]) == 0
    path = lab_home / "labs" / "07-capstone" / "lab07.ipynb"
    doc = json.loads(path.read_text())
    text = "".join("".join(c["source"]) for c in doc["cells"])
    assert session.attempt.params["workspace"] in text and "Crie o workspace" in text


def test_reset_needs_confirmation(lab_home, capsys):
    assert cli.main(["lab", "reset", "07"]) == 2
    assert "--yes" in capsys.readouterr().err
    with pytest.raises(ValueError, match="confirm=True"):
        api.reset_lab("07")


def test_reset_starts_over(lab_home, session, capsys):
    old = session.attempt.params
    assert cli.main(["lab", "reset", "07", "--yes"]) == 0
    assert Record().lab_steps("07") == {}
    assert api.prepare("07").params != old
    assert not session.kernel.alive
