"""Coming back to the Quiz page in the same session (from a note link, the menu) opens the mode left."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import ROOT


def test_the_quiz_page_reopens_on_the_mode_the_learner_left(sample_bank):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("ui/pages/quiz_page.py").run()
    at.segmented_control(key="quiz_mode").set_value("review").run()
    at.switch_page("ui/pages/study_page.py").run()  # e.g. a note reference followed from the feedback
    at.query_params.clear()  # the menu's link to the Quiz page carries no mode
    at.switch_page("ui/pages/quiz_page.py").run()
    assert not at.exception
    assert at.segmented_control(key="quiz_mode").value == "review"
