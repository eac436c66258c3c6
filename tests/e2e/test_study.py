"""The Study page in real Chromium: the outline boxes follow a language switch (Study's own or Settings')."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import wait_for_run


def _switch_language(page, app_url, name: str) -> None:
    page.goto(f"{app_url}/settings")
    wait_for_run(page)
    page.locator(".st-key-settings_language").get_by_text(name, exact=True).click()
    wait_for_run(page)


def test_the_outline_and_domain_boxes_follow_a_language_switch(page, app_url):
    page.goto(f"{app_url}/study")
    wait_for_run(page)
    outline = page.locator(".st-key-study_bp").get_by_role("combobox")
    domain = page.locator(".st-key-study_domain").get_by_role("combobox")
    expect(outline).to_have_value(re.compile(r"\(current\)$"))
    english_domain = domain.input_value()
    try:
        _switch_language(page, app_url, "Português (Brasil)")
        page.get_by_test_id("stSidebarNav").get_by_text("Estudar", exact=True).click()
        wait_for_run(page)
        expect(page.get_by_role("heading", name="Estudar")).to_be_visible()
        expect(outline).to_have_value(re.compile(r"\(em vigor\)$"))
        expect(domain).not_to_have_value(english_domain)
    finally:
        _switch_language(page, app_url, "English")


def test_the_outline_boxes_follow_the_study_language_switch(page, app_url):
    page.goto(f"{app_url}/study")
    wait_for_run(page)
    outline = page.locator(".st-key-study_bp").get_by_role("combobox")
    domain = page.locator(".st-key-study_domain").get_by_role("combobox")
    expect(outline).to_have_value(re.compile(r"\(current\)$"))
    english_domain = domain.input_value()
    try:
        page.locator(".st-key-study_lang").get_by_text("Português (Brasil)", exact=True).click()
        wait_for_run(page)
        expect(page.get_by_role("heading", name="Estudar")).to_be_visible()
        expect(outline).to_have_value(re.compile(r"\(em vigor\)$"))
        expect(domain).not_to_have_value(english_domain)
    finally:
        page.locator(".st-key-study_lang").get_by_text("English", exact=True).click()
        wait_for_run(page)
