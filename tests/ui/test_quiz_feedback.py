"""What a learner reads after checking a practice answer: marks, their own picks, readable blocks."""

from __future__ import annotations

from tests.ui.test_quiz_page import quiz

EMOJI = "✅❌📖🚩🔒⏱"


def practise(page_test, kind):
    """Practice on the one fixture question of `kind`; returns the AppTest and the question's widget key."""
    at = quiz(page_test)
    at.multiselect(key="practice_types").set_value([kind]).run()
    at.button(key="practice_start").click().run()
    return at, f"practice-{at.session_state['practice_queue'][0]}-0"


def check(at):
    at.button(key="practice_check").click().run()
    assert not at.exception
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_code_completion_feedback_keeps_each_gap_apart_and_names_the_wrong_pick(page_test, sample_bank):
    at, key = practise(page_test, "dropdown")
    at.selectbox(key=f"{key}-g1").set_value("a")
    at.selectbox(key=f"{key}-g2").set_value("d").run()
    text = check(at)
    # A blank line before each gap's heading: otherwise markdown folds it into the previous gap's list.
    assert "\n\n:red[:material/cancel:] **Gap 2: `from_config`** (your answer: `create`)\n\n" in text
    assert ":green[:material/check_circle:] **Gap 1: `Workspace`**" in text
    assert not any(ch in text for ch in EMOJI)


def test_ordering_feedback_marks_each_step_and_shows_the_learners_pick(page_test, sample_bank):
    at, key = practise(page_test, "ordering")
    for i, item in enumerate(["ws", "run", "exp"]):
        at.selectbox(key=f"{key}-{i}").set_value(item)
    at.run()
    text = check(at)
    assert "1. :green[:material/check_circle:] **Get the workspace**" in text
    assert "2. :red[:material/cancel:] **Create an experiment** (your answer: Start logging a run)" in text
    assert not any(ch in text for ch in EMOJI)
    assert at.button(key=f"{key}-note-0").proto.icon == ":material/menu_book:"  # the note it comes from


def test_match_and_case_study_feedback(page_test, sample_bank):
    at, key = practise(page_test, "match")
    at.selectbox(key=f"{key}-t1").set_value("kv")
    at.selectbox(key=f"{key}-t2").set_value("sa").run()
    assert "Keep an API key → **Key vault** (your answer: Storage account)" in check(at)

    at, key = practise(page_test, "case_study")
    at.radio(key=f"{key}-q1").set_value("A")
    at.radio(key=f"{key}-q2-s1").set_value(True)
    at.radio(key=f"{key}-q2-s2").set_value(False).run()
    text = check(at)
    # Each sub-question's stem is a paragraph of its own, not the tail of the previous list.
    assert "\n\n**2. About the workspace.**\n\n" in text


def single_questions_in_portuguese(page_test, monkeypatch):
    """Practice on single-answer questions of the 2020 outline, for a learner who reads Portuguese."""
    import ui.i18n
    import ui.views.quiz_practice

    # Patched rather than set in the session: AppTest formats option labels in the test's own thread too.
    for module in (ui.i18n, ui.views.quiz_practice):
        monkeypatch.setattr(module, "language", lambda: "pt-BR")
    at = page_test("quiz_page.py")
    at.session_state["practice_bp"] = "dp-100-2020"
    at.session_state["practice_types"] = ["single"]
    return at.run()


def test_in_portuguese_an_untranslated_question_says_it_is_in_english(page_test, sample_bank, monkeypatch):
    at, _ = practise(page_test, "single")
    assert not any("translation" in c.value for c in at.caption)  # nothing to say in English
    at = single_questions_in_portuguese(page_test, monkeypatch)
    assert any("(aposentado)" in o for o in at.selectbox(key="practice_bp").options)  # outline status translated
    at.button(key="practice_start").click().run()
    assert any("ainda não foi traduzida" in c.value for c in at.caption)
    assert at.radio  # the question is still there to answer


def test_in_portuguese_a_translated_question_carries_no_english_notice(page_test, monkeypatch, tmp_path):
    import curriculum.check
    import quizzes.bank
    from tests.ui.conftest import FIXTURE_BANK

    text = (FIXTURE_BANK / "sample.yaml").read_text()
    anchor = "    answer: A\n"
    overlay = "    translations:\n      pt-BR:\n        stem: Qual classe conecta a um workspace existente?\n"
    (tmp_path / "sample.yaml").write_text(text.replace(anchor, anchor + overlay, 1))
    for module in (quizzes.bank, curriculum.check):
        monkeypatch.setattr(module, "BANK_DIR", tmp_path)
    at = single_questions_in_portuguese(page_test, monkeypatch)
    at.button(key="practice_start").click().run()
    assert any("Qual classe conecta" in m.value for m in at.markdown)
    assert not any("traduzida" in c.value for c in at.caption)  # the served copy is Portuguese: no notice


def test_ordering_warns_when_an_item_fills_two_steps(page_test, sample_bank):
    at, key = practise(page_test, "ordering")
    at.selectbox(key=f"{key}-0").set_value("ws")
    at.selectbox(key=f"{key}-1").set_value("ws").run()
    assert "more than one step" in at.warning[0].value
    at.selectbox(key=f"{key}-1").set_value("exp").run()
    assert not at.warning


def test_yes_no_feedback_names_the_learners_answer_where_it_was_wrong(page_test, sample_bank):
    at, key = practise(page_test, "yesno")
    at.radio(key=f"{key}-s1").set_value(True)  # wrong: the region cannot change
    at.radio(key=f"{key}-s2").set_value(True).run()  # right
    text = check(at)
    assert ":red[:material/cancel:] The region can be changed later. — **No** (your answer: Yes)." in text
    assert ":green[:material/check_circle:] A key vault is created with it. — **Yes**. It is one" in text


def test_single_choice_feedback_marks_the_right_option_green_and_a_wrong_pick_red(page_test, sample_bank):
    at, key = practise(page_test, "single")
    at.radio(key=key).set_value("B").run()
    text = check(at)
    assert "- ☐ :green[:material/check_circle:] **Workspace** — *right.*" in text
    assert "- ☑ :red[:material/cancel:] **Experiment** — *wrong.*" in text


def test_multiple_choice_feedback_leaves_an_unpicked_wrong_option_unmarked(page_test, sample_bank):
    at, key = practise(page_test, "multiple")
    at.checkbox(key=f"{key}-A").check()
    at.checkbox(key=f"{key}-C").check().run()
    text = check(at)
    assert "- ☑ :green[:material/check_circle:] **A storage account**" in text
    assert "- ☐ :green[:material/check_circle:] **A key vault**" in text
    assert "- ☑ :red[:material/cancel:] **A Kubernetes cluster**" in text


def test_a_match_question_says_once_that_a_value_may_be_reused(page_test, sample_bank):
    at, _ = practise(page_test, "match")
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert sum("more than once" in text for text in shown) == 1, shown


def test_a_note_reference_in_the_feedback_opens_that_section_of_the_notes(sample_bank):
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import ROOT
    from ui.data import catalog

    catalog.clear()  # an earlier test may have cached the real bank: this one serves the fixture bank
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("ui/pages/study_page.py").run()  # Study was open on another note before
    assert at.session_state["study_note"] != "workspace" or at.session_state["study_anchor"] != "connect"
    at.switch_page("ui/pages/quiz_page.py").run()
    at.selectbox(key="practice_bp").set_value("dp-100-2020").run()
    at.multiselect(key="practice_types").set_value(["single"]).run()
    at.button(key="practice_start").click().run()
    at.radio(key="practice-ui-single-1-0").set_value("B").run()
    at.button(key="practice_check").click().run()
    link = at.button(key="practice-ui-single-1-0-note-0")
    title = catalog().note_titles("en")["workspace#connect"]  # "Note › Section"
    assert link.label == f"Read in the notes: {title}" and link.proto.icon == ":material/menu_book:"
    link.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Study"
    assert (at.session_state["study_note"], at.session_state["study_anchor"]) == ("workspace", "connect")
    assert (at.query_params["note"], at.query_params["section"]) == ("workspace", "connect")  # a reload keeps it
