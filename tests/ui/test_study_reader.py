"""The Study reader: deep links, previous/next, the searched words marked, and the first visit's "Start here"."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from progress import Record
from tests.ui.conftest import ROOT
from ui.data import catalog
from ui.views.study_reader import deep_link, reading_order


def study(**address):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(address)
    at.run()
    return at.switch_page("ui/pages/study_page.py").run()


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_a_deep_link_opens_its_section_even_over_a_note_left_open():
    at = study()
    at.selectbox(key="study_note_pick").set_value("2020-experiments").run()
    assert at.session_state["study_note"] == "2020-experiments"
    at.query_params.update(note="workspace", section="datastores")  # a link from another page of the session
    at.run()
    assert (at.session_state["study_note"], at.session_state["study_anchor"]) == ("workspace", "datastores")
    assert at.subheader[0].value == "Datastores"
    at.selectbox(key="study_note_pick").set_value("2020-deploy").run()  # later choices are not overridden
    assert at.session_state["study_note"] == "2020-deploy"


def test_previous_and_next_walk_the_sections_in_reading_order():
    order = [(n, a) for n, a, _ in reading_order(catalog(), "en")]
    at = study(note="workspace", section="datastores")
    here = order.index(("workspace", "datastores"))
    at.button(key="study_next").click().run()
    assert (at.session_state["study_note"], at.session_state["study_anchor"]) == order[here + 1]
    at.button(key="study_prev").click().run()
    at.button(key="study_prev").click().run()
    assert (at.session_state["study_note"], at.session_state["study_anchor"]) == order[here - 1]


def test_the_first_section_has_no_previous_and_the_last_no_next():
    order = reading_order(catalog(), "en")
    first = study(note=order[0][0], section=order[0][1])
    assert not [b for b in first.button if b.key == "study_prev"] and first.button(key="study_next")
    last = study(note=order[-1][0], section=order[-1][1])
    assert not [b for b in last.button if b.key == "study_next"] and last.button(key="study_prev")


def test_a_section_opened_from_search_shows_the_searched_words_marked():
    at = study()
    at.text_input(key="study_search").input("datastore").run()
    at.button(key="study-hit-0").click().run()
    assert ":orange-background[" in _markdown(at)
    at.button(key="study_next").click().run()  # opened otherwise: nothing marked
    assert ":orange-background[" not in _markdown(at)


def test_start_here_explains_the_outlines_until_closed():
    at = study()
    text = _markdown(at)
    assert "dp-100-2020" in text and "dp-100-2025" in text and "AI-300" in text and "2026-06-01" in text
    assert "01, 02" in text and "09, 10" in text  # which labs serve which outline, from the labs' sdk
    at.button(key="study_start_about").click().run()
    assert at.session_state["study_note"] == "about-certification"
    at.button(key="study_start_close").click().run()
    assert Record().get_setting("study_start_seen") is True
    assert not [b for b in study().button if b.key == "study_start_close"]


def test_start_here_in_portuguese():
    Record().set_setting("language", "pt-BR")
    text = _markdown(study())
    assert "Comece aqui" in text and "roteiro" in text and "AI-300" in text


def test_deep_link_turns_a_reference_into_the_address_that_opens_it():
    assert deep_link("workspace#datastores") == {"note": "workspace", "section": "datastores"}
    assert deep_link("workspace") == {"note": "workspace"}
    at = study(**deep_link("2020-resources#compute-instances"))
    assert (at.session_state["study_note"], at.session_state["study_anchor"]) == ("2020-resources",
                                                                                  "compute-instances")
