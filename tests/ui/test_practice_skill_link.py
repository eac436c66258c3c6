"""A link to practise one skill ("Practise this" in Study) starts a queue on that skill, whatever was under way."""

from __future__ import annotations

from progress import Record
from ui.data import catalog

SKILL = "2020.workspace.settings"  # one question of the fixture bank; the others teach 2020.workspace.create


def _linked(page_test, skill: str = SKILL):
    at = page_test("quiz_page.py")
    at.query_params.update(mode="practice", skill=skill)
    return at.run()


def _practise_everything(page_test):
    at = page_test("quiz_page.py")
    at.query_params["mode"] = "practice"
    at.run()
    at.selectbox(key="practice_bp").set_value("dp-100-2020").run()
    at.button(key="practice_start").click().run()
    return at


def _skills_of(at) -> set[str]:
    questions = catalog().bank.questions
    return {s for qid in at.session_state["practice_queue"] for s in questions[qid].skills}


def test_a_skill_link_replaces_the_queue_under_way(page_test, sample_bank):
    before = _practise_everything(page_test)
    assert len(before.session_state["practice_queue"]) > 1
    at = _linked(page_test)
    assert not at.exception, [e.value for e in at.exception]
    assert _skills_of(at) == {SKILL}
    assert at.session_state["practice_index"] == 0
    assert at.selectbox(key="practice_bp").value == "dp-100-2020"
    assert Record().get_setting("practice_in_progress")["skill"] == SKILL


def test_the_same_link_again_keeps_the_place_in_that_skills_queue(page_test, sample_bank):
    at = _linked(page_test, "2020.workspace.create")
    queue = at.session_state["practice_queue"]
    assert len(queue) > 2
    progress = {"queue": queue, "index": 2, "outline": "dp-100-2020", "skill": "2020.workspace.create",
                "checked": None}
    Record().set_setting("practice_in_progress", progress)  # the learner got to the third question
    reloaded = _linked(page_test, "2020.workspace.create")  # a new session on the same address
    assert reloaded.session_state["practice_queue"] == queue
    assert reloaded.session_state["practice_index"] == 2


def test_a_link_to_an_unknown_skill_changes_nothing(page_test, sample_bank):
    queue = _practise_everything(page_test).session_state["practice_queue"]
    at = _linked(page_test, "2020.no-such-skill")
    assert not at.exception
    assert at.session_state["practice_queue"] == queue
