"""The Study page: outline tree, note reader, mark as read, search, language switch."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from curriculum.check import load_all
from progress import Record
from tests.ui.conftest import ROOT


def study():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    return at.switch_page("ui/pages/study_page.py").run()


def test_a_note_is_shown_and_can_be_marked_read():
    at = study()
    assert not at.exception
    note_id = at.selectbox(key="study_note_pick").value
    at.button(key=f"study-read-{note_id}-").click().run()
    assert (note_id, "") in Record().notes_read()
    assert any("marked this as read" in s.value for s in at.success)


def test_opening_a_section_from_the_outline_tree():
    at = study()
    at.selectbox(key="study_bp").set_value("dp-100-2020").run()
    at.selectbox(key="study_domain").set_value("2020.resources").run()
    opener = next(b for b in at.button if b.key and b.key.startswith("study-open-2020.workspace.create-"))
    opener.click().run()
    assert not at.exception
    anchor = at.session_state["study_anchor"]
    assert anchor and opener.key.endswith(anchor)
    assert opener.label.endswith(at.subheader[0].value)  # the section's own title is shown
    assert at.button(key="study_whole")  # with a way back to the whole note


def test_search_finds_a_section_and_opens_it():
    at = study()
    at.text_input(key="study_search").input("key vault").run()
    hits = [b for b in at.button if b.key and b.key.startswith("study-hit-")]
    assert hits, "searching for 'key vault' should find the workspace note"
    hits[0].click().run()
    assert at.session_state["study_note"]


def test_language_switch_is_remembered():
    at = study()
    at.button_group(key="study_lang").set_value("pt-BR").run()
    assert Record().get_setting("language") == "pt-BR"
    assert at.title[0].value == "Estudar"


def test_lab_for_a_current_outline_skill_opens_its_sdk_v2_lab():
    at = study()
    at.selectbox(key="study_bp").set_value("dp-100-2025").run()
    at.selectbox(key="study_domain").set_value("2025.design").run()
    at.button(key="study-lab-2025.resources.workspace-09").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lab_open"] == "09"
    assert at.button(key="lab_back")


def test_lab_for_sweep_sampling_opens_the_v2_sweep_lab():
    at = study()
    at.selectbox(key="study_bp").set_value("dp-100-2025").run()
    at.selectbox(key="study_domain").set_value("2025.explore").run()
    at.button(key="study-lab-2025.sweep.sampling-15").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lab_open"] == "15"


def test_a_skill_no_lab_names_reaches_labs_through_the_notes_that_teach_it():
    # Without lab 15, "Choose a sampling method" (2025) is taught by note sections that also teach the 2020
    # outline's HyperDrive skills, which lab 08 practises.
    from labs import api
    from ui.data import load_all
    from ui.views.study_tree import related_labs

    labs = [lab for lab in api.list_labs("en") if lab["id"] != "15"]
    assert [lab["id"] for lab in related_labs(load_all(), labs, "2025.sweep.sampling", "en")] == ["08"]


def test_a_skill_without_a_lab_says_so_instead_of_a_dead_link():
    at = study()
    at.selectbox(key="study_bp").set_value("dp-100-2025").run()
    at.selectbox(key="study_domain").set_value("2025.language-models").run()
    assert not [b for b in at.button if b.key and b.key.startswith("study-lab-")]
    assert any(c.value == "No lab practises this skill yet." for c in at.caption)


def test_lab_for_opens_the_lab_even_when_another_lab_was_left_open():
    at = study()
    at.session_state["lab_open"] = "03"
    at.selectbox(key="study_bp").set_value("dp-100-2020").run()
    at.selectbox(key="study_domain").set_value("2020.resources").run()
    at.button(key="study-lab-2020.workspace.create-01").click().run()
    assert at.session_state["lab_open"] == "01"


def test_a_section_of_another_note_opens_after_a_note_was_picked():
    # The note picker kept its old value and reopened that note over the section the learner clicked.
    at = study()
    at.selectbox(key="study_note_pick").set_value("2020-experiments").run()
    at.selectbox(key="study_bp").set_value("dp-100-2020").run()
    at.selectbox(key="study_domain").set_value("2020.resources").run()
    opener = next(b for b in at.button if b.key and b.key.startswith("study-open-2020.workspace.create-workspace-"))
    opener.click().run()
    assert at.session_state["study_note"] == "workspace"
    assert at.selectbox(key="study_note_pick").value == "workspace"
    assert opener.label.endswith(at.subheader[0].value)


def test_the_reading_position_is_in_the_address_and_survives_a_refresh():
    at = study()
    at.selectbox(key="study_note_pick").set_value("2020-experiments").run()
    assert at.query_params["note"] in ("2020-experiments", ["2020-experiments"])
    anchor = next(s.anchor for s in load_all().notes.get("2020-experiments", "en").sections if s.anchor)
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    fresh.query_params.update(note="2020-experiments", section=anchor)  # a new session: only the address
    fresh.switch_page("ui/pages/study_page.py").run()
    assert fresh.selectbox(key="study_note_pick").value == "2020-experiments"
    assert fresh.session_state["study_anchor"] == anchor


def test_a_note_read_as_a_whole_counts_for_its_sections():
    Record().mark_note_read("workspace", "")
    at = study()
    at.selectbox(key="study_bp").set_value("dp-100-2020").run()
    at.selectbox(key="study_domain").set_value("2020.resources").run()
    opener = next(b for b in at.button if b.key and b.key.startswith("study-open-2020.workspace.create-workspace-"))
    opener.click().run()
    assert any("marked this as read" in s.value for s in at.success)
