"""The quiz tools a learner expects, in real Chromium: minutes that follow the size of the exam, a question
before a section closes, time per question and the history of exams, and rating a review Again/Hard/Good/Easy."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fsrs import Card
from playwright.sync_api import expect

from progress import Record
from tests.e2e.helpers import click, wait_for_run

SINGLE = "d20-security-tls"  # a single-choice question of the real bank
WAIT = 30_000  # ms: a loaded machine can take many seconds for a rerun


def _exam_setup(page, app_url) -> None:
    page.goto(f"{app_url}/quiz?mode=exam")
    wait_for_run(page)
    setup, report = page.locator(".st-key-exam_total input"), page.locator(".st-key-exam_new button")
    expect(setup.or_(report)).to_be_visible(timeout=WAIT)
    if report.is_visible():  # an earlier test's exam report: back to the set-up screen
        click(page, "exam_new")


def _saved_attempt(page, rec: Record) -> dict:
    """The running exam as the app saved it in the record (written at the end of the run that drew it)."""
    for _ in range(300):
        saved = rec.get_setting("exam_in_progress")
        if saved and saved.get("finished_at") is None:
            return saved
        page.wait_for_timeout(100)  # polling the record: the page has nothing to wait on for this
    raise AssertionError("the app did not save the exam it started within 30 s")


def _start_with_two_sections(page, rec: Record) -> list[str]:
    """Start exams until the drawn form spans more than one section (most do); the sections of its items."""
    for _ in range(5):
        click(page, "exam_start")
        expect(page.get_by_text("Question 1 of")).to_be_visible(timeout=WAIT)
        sections = [section for _qid, _domain, section in _saved_attempt(page, rec)["form"]["items"]]
        if len(set(sections)) > 1:
            return sections
        click(page, "exam_finish")  # a form of one section cannot show the question: draw another
        click(page, "exam_new")
    raise AssertionError("five exams in a row were drawn from one section")


def test_an_exam_scales_its_minutes_asks_before_a_section_closes_and_joins_the_history(page, app_url, e2e_home,
                                                                                       artifacts_dir):
    rec = Record(f"sqlite:///{e2e_home / 'progress.db'}")
    _exam_setup(page, app_url)
    history = page.locator(".st-key-exam_history")
    expect(history).to_be_visible(timeout=WAIT)
    total = page.locator(".st-key-exam_total input")
    total.fill("12")
    total.press("Enter")
    wait_for_run(page)
    expect(page.locator(".st-key-exam_minutes input")).to_have_value("24", timeout=WAIT)
    sections = _start_with_two_sections(page, rec)
    before = len(rec.exam_attempts())
    for i in range(1, len(sections)):
        click(page, "exam_next")
        confirm = page.locator(".st-key-exam_leave_confirm button")
        if sections[i] != sections[i - 1]:  # the item opens a later section: asked first
            expect(page.get_by_text("You will not be able to return to this section")).to_be_visible(timeout=WAIT)
            page.screenshot(path=str(artifacts_dir / "quiz-leave-section.png"))
            click(page, "exam_leave_confirm")
        else:
            expect(confirm).to_have_count(0, timeout=WAIT)
        expect(page.get_by_text(f"Question {i + 1} of {len(sections)}")).to_be_visible(timeout=WAIT)
    click(page, "exam_finish")
    expect(page.get_by_text("Time used:")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text(re.compile(r"· time \d\d:\d\d")).first).to_be_visible(timeout=WAIT)
    page.screenshot(path=str(artifacts_dir / "quiz-exam-report.png"), full_page=True)
    click(page, "exam_new")
    assert len(rec.exam_attempts()) == before + 1
    expect(history.get_by_text(f"{before + 1} exam(s)")).to_be_visible(timeout=WAIT)
    expect(history.get_by_test_id("stDataFrame")).to_be_visible(timeout=WAIT)
    page.screenshot(path=str(artifacts_dir / "quiz-exam-history.png"), full_page=True)


def test_a_review_comes_rated_from_the_answer_and_the_learner_can_rate_it_otherwise(page, app_url, e2e_home,
                                                                                    artifacts_dir):
    rec = Record(f"sqlite:///{e2e_home / 'progress.db'}")
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    rec.save_card(SINGLE, Card(due=long_ago).to_dict(), long_ago)  # the most overdue card: Review shows it first
    page.goto(f"{app_url}/quiz?mode=review")
    wait_for_run(page)
    page.get_by_test_id("stRadio").first.get_by_role("radio").first.check(force=True)
    wait_for_run(page)
    click(page, "review_check")
    rating = page.locator(f'[class*="st-key-review-{SINGLE}-"][class*="-rating"]')
    expect(rating).to_be_visible(timeout=WAIT)
    automatic = rating.get_by_role("radio", checked=True)
    expect(automatic).to_have_count(1, timeout=WAIT)  # the rating the answer earned is chosen already
    page.screenshot(path=str(artifacts_dir / "quiz-review-rating.png"), full_page=True)
    rating.get_by_role("radio", name=re.compile(r"^Hard")).click()
    wait_for_run(page)
    expect(page.get_by_text("Rated Hard")).to_be_visible(timeout=WAIT)
    card = rec.card(SINGLE)
    assert card["last_review"] and datetime.fromisoformat(card["due"]) > long_ago
    link = page.get_by_role("button", name=re.compile(r"^Read in the notes: ")).first  # "Note › Section"
    section = link.inner_text().rsplit("›", 1)[1].strip()
    link.click()
    expect(page).to_have_url(re.compile(r"/study\?note=[\w-]+&section=[\w-]+"), timeout=WAIT)
    wait_for_run(page)
    expect(page.get_by_role("heading", name=section)).to_be_in_viewport(timeout=WAIT)
