"""Practice, feedback and the review count in real Chromium (issue 14, bugs 4, 5 and 13).

- Practice with the current outline chosen serves that outline's questions only ("Question 1 of N", N that
  outline's count, not the whole bank's).
- Feedback reads alike for every type: single choice marks the right option green and a wrong pick red; yes/no
  names the learner's wrong answer; a match question says once, not twice, that a value may be reused.
- Those misses count on Home's "Reviews due" and in the Review mode's queue alike.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from progress import Record
from tests.e2e.helpers import click, wait_for_run
from ui.views.quiz_practice import SAVED

WAIT = 30_000  # ms: a loaded machine can take many seconds for a rerun
# Questions of the real bank, all in the current outline: one per type whose feedback bug 13 was about.
SINGLE, YESNO, MATCH = "e20-mlflow-in-job", "d25-compute-facts-yesno", "d25-data-asset-type-match"
REUSE = re.compile("more than once")  # the match widget's caption says it; its stem used to say it again


@pytest.fixture(scope="module")
def bank_and_current():
    """The real bank and the current outline (the one the outline box offers first), read once for the module."""
    from quizzes.bank import load_bank
    from quizzes.blueprint import load_blueprints

    blueprints = load_blueprints()
    return load_bank(blueprints=blueprints), blueprints.current()


def _outline_question_ids(questions: dict, outline) -> set[str]:
    """Ids of the questions with a skill in `outline` (case-study parts count), worked out here, apart from the
    app's own selection, so that a wrong selection cannot agree with itself."""
    skills = {s.id for s in outline.skills()}

    def all_skills(q):
        return set(q.skills).union(*(sub.skills for sub in getattr(q, "questions", None) or []))

    return {qid for qid, q in questions.items() if skills & all_skills(q)}


def _choose_outline(page, title: str) -> None:
    """Pick an outline in the Practice page's outline box, as a learner does."""
    page.locator(".st-key-practice_bp").get_by_role("combobox").click()
    page.get_by_role("option", name=re.compile("^" + re.escape(title))).click()
    wait_for_run(page)


def test_practice_serves_only_the_chosen_outlines_questions(page, app_url, e2e_home, bank_and_current):
    bank, current = bank_and_current
    expected = _outline_question_ids(bank.questions, current)
    assert 0 < len(expected) < len(bank.questions)  # the bank also holds questions of retired outlines
    # No queue under way: an earlier test's queue would come back at "Question 1 of N" and could be read before
    # the new queue's rerun had drawn (its N is another filter's count: CI read 93 of 270 once).
    record = Record(f"sqlite:///{e2e_home / 'progress.db'}")
    record.set_setting(SAVED, None)
    page.goto(f"{app_url}/quiz?mode=practice")
    wait_for_run(page)
    _choose_outline(page, current.title)
    click(page, "practice_start")
    expect(page.locator(".st-key-practice_filters_closed")).to_be_visible(timeout=WAIT)  # the new queue is drawn
    counter = page.get_by_text(re.compile(r"^Question 1 of \d+$"))
    expect(counter).to_be_visible(timeout=WAIT)
    served = int(counter.inner_text().rsplit(" ", 1)[-1])
    assert served == len(expected), f"{served} questions served; the outline {current.id} has {len(expected)}"
    saved = record.get_setting(SAVED)
    assert saved["outline"] == current.id
    assert set(saved["queue"]) == expected, sorted(set(saved["queue"]) - expected)[:5]


def _feedback_line(page, text: str):
    """The feedback's list item that holds `text`."""
    return page.get_by_test_id("stMarkdownContainer").locator("li", has_text=text)


def _single_choice_marks(page, q) -> None:
    """Pick a wrong option: it gets a red mark, the right one a green mark, the other wrong ones none."""
    options = {o.id: o.text for o in q.options}
    wrong = next(oid for oid in options if oid != q.answer)
    page.get_by_test_id("stRadio").first.get_by_role("radio", name=options[wrong]).check(force=True)
    wait_for_run(page)
    click(page, "practice_check")
    expect(page.get_by_text("Not quite").first).to_be_visible(timeout=WAIT)
    expect(_feedback_line(page, options[wrong]).get_by_role("img", name="cancel icon")).to_be_visible()
    expect(_feedback_line(page, options[q.answer]).get_by_role("img", name="check_circle icon")).to_be_visible()
    for oid in set(options) - {wrong, q.answer}:
        expect(_feedback_line(page, options[oid]).get_by_role("img")).to_have_count(0)


def _yes_no_names_the_wrong_answers(page, q) -> None:
    """Answer Yes throughout: each statement that is false says "(your answer: Yes)", the true ones do not."""
    for s in q.statements:
        page.get_by_test_id("stRadio").filter(has_text=s.text).get_by_role("radio", name="Yes").check(force=True)
        wait_for_run(page)
    click(page, "practice_check")
    expect(page.get_by_text("Not quite").first).to_be_visible(timeout=WAIT)
    for s in q.statements:
        line = _feedback_line(page, s.text)
        if s.answer:
            expect(line).not_to_contain_text("(your answer:")
        else:
            expect(line).to_contain_text("— No (your answer: Yes).")
            expect(line.get_by_role("img", name="cancel icon")).to_be_visible()


def _reviews_due_on_home(page, app_url) -> int:
    page.goto(app_url)
    wait_for_run(page)
    metric = page.get_by_test_id("stMetric").filter(has_text="Reviews due").get_by_test_id("stMetricValue")
    expect(metric).to_be_visible(timeout=WAIT)
    return int(metric.inner_text())


def _reviews_waiting_in_review(page) -> int:
    """Follow Home's "Review now" link and read the Review mode's count of questions waiting."""
    page.get_by_role("link", name="Review now").click()
    wait_for_run(page)
    caption = page.get_by_text(re.compile(r"^\d+ question\(s\) to review$"))
    expect(caption).to_be_visible(timeout=WAIT)
    return int(caption.inner_text().split()[0])


def test_feedback_reads_alike_and_missed_questions_count_alike_on_home_and_review(page, app_url, e2e_home,
                                                                               bank_and_current):
    bank, current = bank_and_current
    assert {SINGLE, YESNO, MATCH} <= _outline_question_ids(bank.questions, current)
    # The learner's record holds a practice queue of these three (the app keeps a queue there across reloads),
    # so the questions on screen are known; everything after this is done in the browser.
    Record(f"sqlite:///{e2e_home / 'progress.db'}").set_setting(
        SAVED, {"queue": [SINGLE, YESNO, MATCH], "index": 0, "outline": current.id, "skill": None, "checked": None})
    page.goto(f"{app_url}/quiz?mode=practice")
    wait_for_run(page)
    expect(page.get_by_text("Question 1 of 3", exact=True)).to_be_visible(timeout=WAIT)
    _single_choice_marks(page, bank.questions[SINGLE])
    wait_for_run(page)  # the check's run ends before "Next" is clicked: a click into a run under way was lost once
    click(page, "practice_next")
    expect(page.get_by_text("Question 2 of 3", exact=True)).to_be_visible(timeout=WAIT)
    _yes_no_names_the_wrong_answers(page, bank.questions[YESNO])
    wait_for_run(page)
    click(page, "practice_next")
    expect(page.get_by_text("Question 3 of 3", exact=True)).to_be_visible(timeout=WAIT)
    expect(page.get_by_text(bank.questions[MATCH].targets[0].text)).to_be_visible()  # the match item is drawn
    expect(page.get_by_text(REUSE)).to_have_count(1)  # its caption, not its stem as well

    # Two questions missed: Home's count and the Review mode's agree (a card falling due between the two
    # readings would make them differ once; a second reading settles that, while the bug differs every time).
    for _ in range(2):
        home = _reviews_due_on_home(page, app_url)
        waiting = _reviews_waiting_in_review(page)
        if home == waiting:
            break
    assert home == waiting, f"Home shows {home} reviews due, Review has {waiting} questions waiting"
    assert waiting >= 2
