"""Home: each "what to do next" card lands on the right place."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from progress import Record
from tests.ui.conftest import ROOT


def home() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def test_next_lab_step_opens_that_lab_on_that_step():
    from labs import api

    first, second = [s["id"] for s in api.steps("01")][:2]
    Record().record_lab_step("01", first, True)  # step 1 passed: the next one is step 2
    at = home()
    assert not at.exception
    at.button(key="home_open_step").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["lab_open"] == "01"
    assert at.session_state["lab-step-01"] == second
    assert at.button(key="lab_back")  # the lab itself, not the catalogue


def test_weakest_domain_opens_the_study_tree_on_that_domain():
    at = home()
    at.button(key="home_study_weakest").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Study"
    assert at.selectbox(key="study_bp").value == "ai-300"  # the current exam's outline
    assert at.selectbox(key="study_domain").value == "ai300.mlops-infra"  # all at 0%: the first, fewest answered


def test_reviews_due_counts_what_review_will_show():
    """A question missed in practice (no review card yet) is waiting in Review: Home counts it."""
    from ui.data import catalog

    qid = sorted(catalog().bank.questions)[0]
    Record().record_answer(qid, None, False, mode="practice")
    at = home()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric[0].value == "1"


def test_home_gives_the_readiness_of_the_other_outlines_too():
    at = home()
    assert not at.exception, [e.value for e in at.exception]
    line = next(c.value for c in at.caption if c.value.startswith("Other outlines, estimated readiness:"))
    assert "Designing and Implementing a Data Science Solution" in line and "%" in line
