"""What learners expect of a lab page: one mark per step, every requirement of a failed step, a Next step button,
copying the solution into the editor, the lab's goals and prerequisites, studio links that open our Studio, and
the place (lab, step, outputs) kept for a new session."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from streamlit.testing.v1 import AppTest

from labs import api, state
from labs.kernel import CellResult
from labs.spec import get_lab
from progress import Record
from tests.ui.conftest import ROOT
from tests.ui.test_labs_page import settle

STEP_1, STEP_2 = "create-workspace", "inspect-resources"


@pytest.fixture
def lab01(labs):
    labs.button(key="lab-open-01").click().run()
    assert not labs.exception, [e.value for e in labs.exception]
    return labs


def _fresh_session() -> AppTest:
    """A new browser session (a reload) of the Labs page, with the address the old one showed."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(lab="01", step=STEP_2)
    at.run()
    return at.switch_page("ui/pages/labs_page.py").run()


def test_each_step_has_one_mark_and_no_radio(lab01):
    at = lab01
    steps = get_lab("01").spec.steps
    buttons = [at.button(key=f"lab-goto-01-{s.id}") for s in steps]
    assert not at.radio, "the step list is not a radio beside a second mark"
    assert all(b.proto.icon == ":material/radio_button_unchecked:" for b in buttons)
    assert not any(ch in b.label for b in buttons for ch in "✓✗○"), "the icon is the only mark"
    Record().record_lab_step("01", STEP_1, True)
    Record().record_lab_step("01", STEP_2, False)
    at.run()
    assert at.button(key=f"lab-goto-01-{STEP_1}").proto.icon == ":material/check_circle:"
    assert at.button(key=f"lab-goto-01-{STEP_2}").proto.icon == ":material/cancel:"


def test_a_failed_step_shows_every_requirement_with_its_mark(lab01):
    at = lab01
    at.button(key="lab_check").click().run()
    settle(at, f"lab-01-{STEP_1}-report")
    table = at.table[0].value
    assert list(table["Requirement"]) == ["workspace exists", "workspace region and sku"]
    assert list(table["Check"]) == ["✗", "○"], "the second needs the first: not run, not a second failure"
    assert "workspace exists" in table["Message"].iloc[1]


def test_next_step_appears_once_the_step_passes_and_opens_the_next_one(lab01):
    at = lab01
    assert not [b for b in at.button if b.key == "lab_next"], "no Next step before a pass"
    Record().record_lab_step("01", STEP_1, True)
    at.run()
    nxt = at.button(key="lab_next")
    assert nxt.label == "Next step: 2. Inspect the associated resources"
    nxt.click().run()
    assert at.session_state["lab-step-01"] == STEP_2
    assert any(s.value == "2. Inspect the associated resources" for s in at.subheader)


def test_copy_solution_puts_it_in_the_editor(lab01):
    at = lab01
    key = f"lab-01-{STEP_1}"
    at.toggle(key=f"{key}-plain").set_value(True).run()
    at.text_area(key=f"{key}-area").input("print('my attempt')").run()
    at.button(key="lab_solution").click().run()
    generation = at.session_state["lab_editor_gen"] if "lab_editor_gen" in at.session_state else 0
    at.button(key="lab_copy_solution").click().run()
    solution = api.solution("01", STEP_1)
    assert at.text_area(key=f"{key}-area").value == solution
    assert at.session_state["lab_editor_gen"] == generation + 1, "the rich editor is rebuilt with the solution"
    assert Record().get_setting("lab_code:01")[STEP_1] == solution, "kept like typed code"
    at.toggle(key=f"{key}-plain").set_value(False).run()
    assert at.session_state[f"{key}-text"] == solution


def test_goals_and_prerequisites_show_and_a_prerequisite_lab_opens(labs):
    at = labs
    at.button(key="lab-open-02").click().run()
    about = next(e for e in at.expander if e.label == "What this lab teaches and what it needs")
    text = " ".join(m.value for m in about.markdown)
    assert "Upload a file to a run and complete the run" in text  # a goal
    assert "pandas: read a CSV file" in text  # a prerequisite to know
    prereq = at.button(key="lab-prereq-01")
    assert prereq.label.startswith("Lab 01:")
    prereq.click().run()
    assert at.session_state["lab_open"] == "01"


def test_a_new_session_opens_the_lab_step_outputs_and_report_the_address_names(tmp_path):
    api.prepare("01")
    result = CellResult(status="ok", outputs=[{"type": "stream", "name": "stdout", "text": "kept for later\n"}])
    state.save_outputs(state.lab_folder(get_lab("01")), STEP_2, asdict(result))
    api.check_step("01", STEP_2)
    try:
        at = _fresh_session()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["lab_open"] == "01" and at.session_state["lab-step-01"] == STEP_2
        assert any(c.value == "kept for later" for c in at.code), "the step's last outputs are shown again"
        assert list(at.table[0].value["Requirement"])[0] == "resources file present", "and its last report"
    finally:
        api.close_all()


def test_reopening_a_lab_from_the_list_lands_on_the_step_chosen_last(lab01):
    at = lab01
    at.button(key=f"lab-goto-01-{STEP_2}").click().run()
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    fresh.switch_page("ui/pages/labs_page.py").run()
    fresh.button(key="lab-open-01").click().run()
    assert fresh.session_state["lab-step-01"] == STEP_2


def test_studio_links_in_outputs_open_our_studio_on_the_item(labs):
    url = "https://ml.azure.com/runs/run-7?wsid=/subscriptions/0000/resourcegroups/rg-x/workspaces/mlw-x&tid=t"
    result = CellResult(status="ok", outputs=[{"type": "stream", "name": "stdout", "text": f"Web View: {url}\n"}])
    api.prepare("01")
    state.save_outputs(state.lab_folder(get_lab("01")), STEP_1, asdict(result))
    at = labs.button(key="lab-open-01").click().run()
    links = list(at.get("page_link"))
    assert len(links) == 1, "one link under the output"
    assert links[0].proto.label == "Open in Studio: Experiments › run-7"
    assert links[0].proto.page.endswith("studio")
    assert "run=run-7" in links[0].proto.query_string and "tab=experiments" in links[0].proto.query_string
