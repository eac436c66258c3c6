"""Home, Quiz and Study say which exam is current and what DP-100's retirement means, in both languages."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from progress import Record
from tests.ui.conftest import ROOT


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_home_says_dp100_retired_and_names_ai300():
    at = _app()
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert "AI-300 is the current exam: it can be taken on this outline." in text
    assert "DP-100 is retired: it can no longer be taken after 2026-06-01" in text
    assert "reported by third parties, not confirmed on a Microsoft page" in text
    assert "stays valid until its renewal date" in text
    assert "AI-300: Operationalizing Machine Learning and Generative AI Solutions" in text
    assert "Machine Learning Operations (MLOps) Engineer Associate" in text
    assert at.subheader[-1].value.startswith("Estimated readiness")  # the retired outline is still studied


def test_home_says_it_in_portuguese():
    Record().set_setting("language", "pt-BR")
    at = _app()
    text = _text(at)
    assert "O DP-100 foi aposentado: não pode mais ser feito depois de 2026-06-01" in text
    assert "data informada por terceiros, não confirmada em uma página da Microsoft" in text
    assert "continua válida até a data de renovação" in text
    assert "Operacionalizar soluções de machine learning e de IA generativa" in text


def test_study_labels_each_outline_and_explains_the_older_one():
    at = _app().switch_page("ui/pages/study_page.py").run()
    outline = at.selectbox(key="study_bp")
    assert outline.value == "ai-300"  # the current exam's outline opens first
    text = _text(at)
    assert "AI-300 is the current exam" in text and "reported by third parties (study sites)" in text
    labels = outline.options
    assert any(label.endswith("(retired, successor AI-300)") for label in labels), labels
    assert any(label.endswith("(retired)") for label in labels), labels
    assert "DP-100 is retired" in text  # the retired exam it replaced is explained on the current outline too
    outline.set_value("dp-100-2020").run()
    assert "This is an older outline of DP-100" in _text(at) and "DP-100 is retired" in _text(at)


def test_quiz_shows_the_status_of_the_chosen_outline():
    at = _app().switch_page("ui/pages/quiz_page.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "The current exam is **AI-300" in "\n".join(m.value for m in at.markdown)


def test_the_status_box_opens_the_note_about_the_certification():
    at = _app()
    at.button(key="home_exam_status_about").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Study" and at.session_state["study_note"] == "about-certification"
    assert "What replaced it: AI-300" in "\n".join(m.value for m in at.markdown)


def test_a_link_to_the_note_opens_it():
    """The Study page's ?note= address (what the other pages' "Start here" links use) opens the note."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["note"] = "about-certification"
    at.run().switch_page("ui/pages/study_page.py").run()
    assert at.session_state["study_note"] == "about-certification"
