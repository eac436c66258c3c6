"""Labs page fixes from the QA pass: live marks after a background job, readable checks, note links,
"check all" naming steps, and the catalogue's status and landing step."""

from __future__ import annotations

from concurrent.futures import Future

from streamlit.testing.v1 import AppTest

from labs.api import StepReport
from labs.grading import CheckResult
from progress import Record
from tests.ui.conftest import ROOT
from tests.ui.test_labs_page import settle
from ui import jobs


class _FakeSt:
    """Just enough of `streamlit` for `show_job`: the fragment it builds and whether it reruns the page."""

    def __init__(self):
        self.session_state = {}
        self.fragment_every = None
        self.view = None
        self.reruns = 0
        self.infos = []

    def fragment(self, run_every=None):
        def wrap(fn):
            self.fragment_every, self.view = run_every, fn
            return lambda: None  # the first draw is not needed here
        return wrap

    def rerun(self):
        self.reruns += 1

    def info(self, text, icon=None):
        self.infos.append((text, icon))

    def error(self, _text):
        pass


def test_a_job_that_ends_while_polled_redraws_the_whole_page(monkeypatch):
    fake = _FakeSt()
    monkeypatch.setattr(jobs, "st", fake)
    future = Future()
    fake.session_state["work"] = jobs.Job(future)
    shown = []
    jobs.show_job("work", shown.append, "running")
    assert fake.fragment_every == 0.5, "a running job polls"
    fake.view()
    text, icon = fake.infos[-1]
    assert text.startswith("running (") and icon == ":material/hourglass_top:", "no emoji: not every font has it"
    future.set_result("done")
    fake.view()  # the poll that sees the end
    assert shown == ["done"]
    assert fake.reruns == 1, "the checklist marks and buttons around the job must be redrawn"


def test_a_running_job_shows_what_it_has_produced_so_far(monkeypatch):
    fake = _FakeSt()
    monkeypatch.setattr(jobs, "st", fake)
    future, live, seen = Future(), ["epoch 1"], []
    fake.session_state["cell"] = jobs.Job(future, live=live)
    jobs.show_job("cell", lambda _r: None, "running", render_live=lambda so_far: seen.append(list(so_far)))
    fake.view()
    live.append("epoch 2")
    fake.view()
    assert seen == [["epoch 1"], ["epoch 1", "epoch 2"]], "each poll shows the outputs that have arrived"


def test_a_job_already_done_draws_once_without_rerunning(monkeypatch):
    fake = _FakeSt()
    monkeypatch.setattr(jobs, "st", fake)
    future = Future()
    future.set_result("done")
    fake.session_state["work"] = jobs.Job(future)
    jobs.show_job("work", lambda _r: None, "running")
    fake.view()
    assert fake.fragment_every is None and fake.reruns == 0


def test_check_rows_use_plain_marks_and_skip_empty_expected_columns():
    from ui.widgets.cell_output import check_rows

    report = StepReport("01", "s", [CheckResult(True, "The workspace exists.", name="ws_exists"),
                                    CheckResult(False, "config.json is missing.", name="config_written")])
    rows = check_rows(report)
    assert [r["Check"] for r in rows] == ["✓", "✗"]
    assert rows[1]["Message"] == "config.json is missing."
    assert all(set(r) == {"Requirement", "Check", "Message"} for r in rows), "no empty Expected/Found columns"
    assert rows[1]["Requirement"] == "config written"
    report.results.append(CheckResult(False, "Wrong size.", expected="STANDARD_DS11_V2", found="STANDARD_D1_V2"))
    assert check_rows(report)[2]["Expected"] == "STANDARD_DS11_V2"


def test_catalogue_shows_status_and_opens_on_the_first_step_not_passed(labs):
    Record().record_lab_step("01", "create-workspace", True, "ok")
    at = labs.run()
    assert any("In progress" in m.value for m in at.markdown), "lab 01 has a passed step: in progress"
    assert any("Not started" in m.value for m in at.markdown)
    at.button(key="lab-open-01").click().run()
    assert at.session_state["lab-step-01"] == "inspect-resources"
    assert any(s.value == "2. Inspect the associated resources" for s in at.subheader)


def test_check_all_names_steps_by_title_and_a_failing_check_links_its_note(labs):
    at = labs
    at.button(key="lab-open-01").click().run()
    at.button(key="lab_check_all").click().run()
    settle(at, "lab-01-job-all")
    assert any(m.value == "**0/6** steps pass." for m in at.markdown)
    details = next(e for e in at.expander if e.label == "What each step needs")
    lines = [m.value for m in details.markdown if m.value.startswith(("✓", "✗"))]
    assert lines and lines[0].startswith("✗ **1. Create the workspace**"), lines
    at.button(key="lab_check").click().run()
    settle(at, "lab-01-create-workspace-report")
    note = at.button(key="lab-check-note-create-workspace-0")
    assert note.label.startswith("Read the note:") and "#" not in note.label, "a title, not the note's id"
    note.click().run()
    assert not at.exception
    assert at.session_state["study_note"] == "workspace" and at.session_state["study_anchor"] == "create-workspace"


def test_the_step_links_its_note_from_its_instructions(labs):
    at = labs
    at.button(key="lab-open-01").click().run()
    at.button(key="lab-note-01-create-workspace").click().run()
    assert not at.exception
    assert at.session_state["study_note"] == "workspace"
    assert at.title[0].value == "Study"



def test_the_editor_speaks_the_learner_language_and_says_which_keys_run_and_indent(monkeypatch):
    from ui.widgets import code_input as module

    seen = []
    monkeypatch.setattr(module, "_EDITOR", lambda **k: seen.append(k) or {})

    def script():
        import streamlit as st

        from ui.widgets.code_input import code_input

        st.session_state["lang"] = "pt-BR"
        code_input("print(1)", "k")

    at = AppTest.from_function(script).run()
    assert seen and seen[-1]["data"] == {"code": "print(1)", "label": "Código"}
    assert "Ctrl+Enter" in at.caption[0].value and "indenta" in at.caption[0].value


def test_the_editors_text_is_what_runs_even_when_the_plain_editor_is_switched_on(monkeypatch):
    from ui.widgets import code_input as module

    monkeypatch.setattr(module, "_EDITOR", lambda **k: {})

    def script():
        import streamlit as st

        from ui.widgets.code_input import code_input

        st.session_state["code"] = code_input("print(1)", "k")

    at = AppTest.from_function(script).run()
    assert at.session_state["code"] == ("print(1)", False), "untouched: the starter code"
    at.session_state["k-editor-0"] = {"text": "print(2)"}  # what the browser's editor sent on losing the focus
    at.toggle(key="k-plain").set_value(True).run()
    assert at.text_area(key="k-area").value == "print(2)"
    assert at.session_state["code"] == ("print(2)", False)


def test_hints_and_the_solution_survive_a_refresh_and_the_last_hint_disables_the_button(labs):
    at = labs
    at.button(key="lab-open-01").click().run()
    for _ in range(3):
        hint = at.button(key="lab_hint")
        if hint.disabled:
            break
        hint.click().run()
    assert at.button(key="lab_hint").disabled, "every hint shown: nothing more to reveal"
    total = len(at.info)
    at.button(key="lab_solution").click().run()
    fresh = _reopen_lab01()
    assert len([i for i in fresh.info if i.value.startswith("Hint")]) == total
    assert any("Workspace.create" in c.value for c in fresh.code), "the solution shown stays shown"


def _reopen_lab01() -> AppTest:
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()  # a refreshed browser tab
    fresh.switch_page("ui/pages/labs_page.py").run()
    return fresh.button(key="lab-open-01").click().run()


def test_typed_code_survives_a_refresh_until_the_lab_is_reset(labs):
    at = labs
    key = "lab-01-create-workspace"
    at.button(key="lab-open-01").click().run()
    at.toggle(key=f"{key}-plain").set_value(True).run()
    at.text_area(key=f"{key}-area").input("print('mine')").run()
    fresh = _reopen_lab01()
    fresh.toggle(key=f"{key}-plain").set_value(True).run()
    assert fresh.text_area(key=f"{key}-area").value == "print('mine')"
    fresh.button(key="lab_reset").click().run()
    fresh.button(key="lab_reset_yes").click().run()
    assert [m.value for m in fresh.toast] == ["The lab starts over: its set-up ran again."]
    again = _reopen_lab01()
    again.toggle(key=f"{key}-plain").set_value(True).run()
    assert again.text_area(key=f"{key}-area").value.startswith("from azureml.core import Workspace")


def test_a_reset_gives_the_editor_a_new_identity(labs, monkeypatch):
    from ui.widgets import code_input as module

    keys = []
    monkeypatch.setattr(module, "_EDITOR", lambda **k: keys.append(k["key"]) or {})
    at = labs
    at.button(key="lab-open-01").click().run()
    before = keys[-1]
    at.button(key="lab_reset").click().run()
    at.button(key="lab_reset_yes").click().run()
    assert keys[-1] != before, "the browser's editor would keep the old attempt's text"


def test_jump_here_runs_the_earlier_solutions(labs):
    at = labs
    at.button(key="lab-open-01").click().run()
    at.button(key="lab-goto-01-inspect-resources").click().run()
    at.button(key="lab_jump").click().run()
    assert not at.exception, "the jump's job must not reuse the button's key"
    settle(at, "lab-01-job-jump", timeout=180)
    assert not at.exception
    assert any(c.value == "The earlier steps' solutions ran." for c in at.caption)


def test_check_rows_speak_the_learners_language(monkeypatch):
    from ui.widgets import cell_output

    monkeypatch.setattr(cell_output, "language", lambda: "pt-BR")
    monkeypatch.setattr(cell_output, "t", lambda key, **kw: key)  # column names are not what this is about
    report = StepReport("01", "s", [CheckResult(False, "config.json is missing.", message_pt="Falta o config.json.")])
    assert cell_output.check_rows(report)[0]["lab.col_message"] == "Falta o config.json."
