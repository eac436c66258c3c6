"""The Study page in real Chromium: the outline boxes follow a language switch (Study's own or Settings')."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.e2e.helpers import click, wait_for_run


def _open_study(page, app_url, query: str = "") -> None:
    """Open Study and wait until it is drawn (the first page of a fresh server loads the whole catalogue)."""
    page.goto(f"{app_url}/study{query}")
    expect(page.locator(".st-key-study_search input")).to_be_visible(timeout=90_000)
    wait_for_run(page)


def _default_outline_titles() -> tuple[re.Pattern, re.Pattern]:
    """The outline Study opens on, as its box shows it in English and in Portuguese (title, then a status)."""
    from curriculum.check import load_all

    bp = load_all().blueprints.study_default()
    return re.compile(f"^{re.escape(bp.title)}"), re.compile(f"^{re.escape(bp.title_in('pt-BR'))}")


SETTINGS_HEADING = {"English": "Settings", "Português (Brasil)": "Configurações"}


def _switch_language(page, app_url, name: str) -> None:
    """Choose the app's language in Settings, and wait until the page shows it (so the choice is saved: a test that
    ends on the click alone may close its page before the rerun that saves it, and the next test opens in it)."""
    page.goto(f"{app_url}/settings")
    wait_for_run(page)
    page.locator(".st-key-settings_language").get_by_text(name, exact=True).click()
    wait_for_run(page)
    expect(page.get_by_role("heading", name=SETTINGS_HEADING[name])).to_be_visible(timeout=60_000)


def _boxes_in_english(page, app_url):
    """Open Study in English: (its outline box, its domain box, the domain's English text, the outline's Portuguese
    title)."""
    _open_study(page, app_url)
    outline = page.locator(".st-key-study_bp").get_by_role("combobox")
    domain = page.locator(".st-key-study_domain").get_by_role("combobox")
    english_title, portuguese_title = _default_outline_titles()
    expect(outline).to_have_value(english_title)
    english_domain = domain.input_value()
    return outline, domain, english_domain, portuguese_title


def test_the_outline_and_domain_boxes_follow_a_language_switch(page, app_url):
    outline, domain, english_domain, portuguese_title = _boxes_in_english(page, app_url)
    try:
        _switch_language(page, app_url, "Português (Brasil)")
        page.get_by_test_id("stSidebarNav").get_by_text("Estudar", exact=True).click()
        wait_for_run(page)
        expect(page.get_by_role("heading", name="Estudar")).to_be_visible(timeout=60_000)
        expect(outline).to_have_value(portuguese_title)
        expect(domain).not_to_have_value(english_domain)
    finally:
        _switch_language(page, app_url, "English")


def test_the_outline_boxes_follow_the_study_language_switch(page, app_url):
    outline, domain, english_domain, portuguese_title = _boxes_in_english(page, app_url)
    try:
        page.locator(".st-key-study_lang").get_by_text("Português (Brasil)", exact=True).click()
        wait_for_run(page)
        expect(page.get_by_role("heading", name="Estudar")).to_be_visible()
        expect(outline).to_have_value(portuguese_title)
        expect(domain).not_to_have_value(english_domain)
    finally:
        page.locator(".st-key-study_lang").get_by_text("English", exact=True).click()
        wait_for_run(page)
        expect(page.get_by_role("heading", name="Study")).to_be_visible(timeout=60_000)  # saved, as above


def _practice_count(skill: str) -> int:
    """How many practice questions a skill has in its own outline (what a queue on that skill holds)."""
    from curriculum.check import load_all
    from quizzes.readiness import select_practice

    content = load_all()
    return len(select_practice(content.bank.questions, content.blueprints.skill_blueprint(skill), skills={skill}))


def _start_practice_on_everything(page, app_url) -> int:
    """Start a practice queue with the filters as they stand (earlier tests may have changed them); its size."""
    page.goto(f"{app_url}/quiz?mode=practice")
    wait_for_run(page)
    start, folded = page.locator(".st-key-practice_start button"), page.locator(".st-key-practice_filters_closed")
    expect(start.or_(folded).first).to_be_visible(timeout=90_000)  # a folded queue holds both
    if folded.is_visible():  # an earlier test's queue: its filters are folded away
        folded.locator("summary").click()
    start.click()
    wait_for_run(page)
    counter = page.get_by_text(re.compile(r"^Question 1 of \d+$"))
    expect(counter).to_be_visible()
    return int(counter.inner_text().rsplit(" ", 1)[-1])


def test_practise_this_starts_a_queue_on_that_skill(page, app_url):
    _switch_language(page, app_url, "English")  # whatever an earlier test left: the texts below are English
    first_queue = _start_practice_on_everything(page, app_url)
    page.get_by_test_id("stSidebarNav").get_by_text("Study", exact=True).click()
    expect(page.locator(".st-key-study_search input")).to_be_visible(timeout=90_000)
    wait_for_run(page)
    page.get_by_test_id("stExpander").first.locator("summary").click()
    link = page.get_by_test_id("stExpander").first.get_by_role("link", name="Practise this").first
    # The skill is read from the link itself: which outline Study shows depends on what earlier tests chose.
    on_skill = _practice_count(parse_qs(urlparse(link.get_attribute("href")).query)["skill"][0])
    assert 0 < on_skill != first_queue  # another queue is under way
    link.click()
    wait_for_run(page)
    expect(page.get_by_text(f"Question 1 of {on_skill}")).to_be_visible()
    expect(page.get_by_text("Only questions on the skill")).to_be_attached()  # in the folded filters
    page.reload()  # the same address keeps the learner's place in that queue
    wait_for_run(page)
    expect(page.get_by_text(f"Question 1 of {on_skill}")).to_be_visible()


def test_a_search_hit_far_down_opens_its_section_in_view_with_the_term_marked(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 700})
    _open_study(page, app_url)
    box = page.locator(".st-key-study_search input")
    close = page.locator(".st-key-study_start_close button")
    if close.is_visible():  # "Start here" shows until it is closed
        close.click()
        wait_for_run(page)
        # Closing it redraws the page, with the old search box kept beside the new one for a while (seen twice, even
        # after waiting for one box): a fresh load of the page has no redraw pending.
        expect(close).to_have_count(0, timeout=30_000)
        page.reload()
        wait_for_run(page)
    expect(box).to_have_count(1, timeout=30_000)
    expect(box).to_be_editable()
    box.fill("datastore")
    page.keyboard.press("Enter")  # the focused box, without locating it again mid-redraw
    last = page.locator(".st-key-study-hit-9 button")
    expect(last).to_be_visible()
    wait_for_run(page)
    title = last.inner_text().split("›")[-1].strip()
    last.click()  # Playwright scrolls the page down to the last hit first
    wait_for_run(page)
    heading = page.get_by_role("heading", name=title).first  # its name also holds "Link to heading"
    expect(heading).to_be_in_viewport(timeout=10_000)
    marked = page.locator("[data-testid='stMarkdownContainer'] .stMarkdownColoredBackground")
    expect(marked.first).to_be_visible()  # the searched word is marked in the text
    assert marked.first.inner_text().lower().startswith("datastore")


def test_a_deep_link_opens_its_section_in_view_and_next_moves_on(page, app_url):
    # (A deep link inside a session, over another open note, is tested with AppTest in tests/ui.)
    page.set_viewport_size({"width": 1280, "height": 600})
    _open_study(page, app_url, "?note=workspace&section=datastores")
    expect(page.get_by_role("heading", name="Datastores").first).to_be_in_viewport()
    click(page, "study_next")
    expect(page).to_have_url(re.compile(r"section=(?!datastores)"))
    expect(page.get_by_role("heading", name="Datastores")).to_have_count(0)
