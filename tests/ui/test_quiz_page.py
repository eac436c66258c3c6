"""The Quiz page's three modes, driven through AppTest by widget keys."""

from __future__ import annotations

from progress import Record
from quizzes.scoring import scaled_score
from quizzes.wording import identifying_text
from ui.data import catalog


def quiz(page_test, mode="practice"):
    """The Quiz page in a mode, on the 2020 outline that the fixture bank's skills belong to."""
    at = page_test("quiz_page.py")
    at.query_params["mode"] = mode
    at.run()
    key = {"practice": "practice_bp", "exam": "exam_bp"}.get(mode)
    if key:
        at.selectbox(key=key).set_value("dp-100-2020").run()
    return at


def test_practice_answers_are_checked_recorded_and_explained(page_test, sample_bank):
    at = quiz(page_test)
    at.multiselect(key="practice_types").set_value(["single"]).run()
    at.button(key="practice_start").click().run()
    assert at.button(key="practice_check").disabled  # nothing chosen yet
    radio = at.radio[0]
    radio.set_value("B").run()
    at.button(key="practice_check").click().run()
    assert not at.exception
    assert "Not quite" in at.error[0].value
    assert "from_config" in at.markdown[-1].value or any("from_config" in m.value for m in at.markdown)
    [answer] = Record().answers()
    assert (answer["question_id"], answer["correct"], answer["mode"]) == ("ui-single-1", False, "practice")
    at.button(key="practice_next").click().run()
    assert "went through all 1" in at.success[0].value


def test_practice_filters_fold_away_when_practice_starts(page_test, sample_bank):
    at = quiz(page_test)
    assert at.expander[0].proto.expanded
    at.multiselect(key="practice_types").set_value(["single"]).run()
    at.button(key="practice_start").click().run()
    # Folded in the same run: folding later would move the question under the learner's pointer.
    assert not at.expander[0].proto.expanded
    assert at.radio  # the first question is already on the page


def test_practice_says_when_no_question_matches(page_test, sample_bank):
    at = quiz(page_test)
    at.multiselect(key="practice_types").set_value(["single"]).run()
    at.multiselect(key="practice_levels").set_value(["hard"]).run()  # the fixture bank has no hard single
    at.button(key="practice_start").click().run()
    assert "No question matches" in at.warning[0].value
    assert at.expander[0].proto.expanded and not at.radio  # the filters stay open to be widened


def test_a_practice_queue_survives_a_refresh_with_the_checked_answer(page_test, sample_bank):
    at = quiz(page_test)
    at.multiselect(key="practice_types").set_value(["single", "multiple"]).run()
    at.button(key="practice_start").click().run()
    queue = at.session_state["practice_queue"]
    assert len(queue) == 2
    key = f"practice-{queue[0]}-0"
    fill_in(at, catalog().bank.questions[queue[0]], key)
    at.run()
    at.button(key="practice_check").click().run()

    fresh = quiz(page_test)  # a new browser session: only the learner's record is shared
    assert fresh.session_state["practice_queue"] == queue and fresh.session_state["practice_index"] == 0
    assert "Correct!" in fresh.success[0].value  # the feedback is back, not a blank question to answer again
    fresh.button(key="practice_next").click().run()
    again = quiz(page_test)
    assert again.session_state["practice_index"] == 1 and again.session_state["practice_result"] is None
    assert again.button(key="practice_check").disabled  # the next question, waiting for an answer
    assert len(Record().answers()) == 1


def test_practice_report_a_problem(page_test, sample_bank):
    at = quiz(page_test)
    at.multiselect(key="practice_types").set_value(["yesno"]).run()
    at.button(key="practice_start").click().run()
    key = next(ta.key for ta in at.text_area if ta.key.endswith("-report-text"))
    at.text_area(key=key).input("Statement 1 is ambiguous").run()
    at.button(key=key.replace("-report-text", "-report")).click().run()
    assert Record().problem_reports()[0]["question_id"] == "ui-yesno-1"
    assert at.text_area(key=key).value == ""  # emptied: the report cannot be sent twice by accident
    assert at.button(key=key.replace("-report-text", "-report")).disabled
    assert len(Record().problem_reports()) == 1


def exam_on(page_test, items: list[tuple[str, str]], minutes: int = 30):
    """The exam page on a fixed form of (question id, section) items, all counting towards one domain."""
    from quizzes.exam import ExamSession
    from quizzes.forms import ExamForm, FormItem

    at = quiz(page_test, "exam")
    form = ExamForm("dp-100-2020", [FormItem(qid, "d", section) for qid, section in items], minutes=minutes)
    at.session_state["exam"] = ExamSession(form)
    return at.run()


def next_item(at):
    """Next, confirming the question asked at a section's end (the section then closes for good)."""
    at.button(key="exam_next").click().run()
    confirm = [b for b in at.button if b.key == "exam_leave_confirm"]
    if confirm:
        confirm[0].click().run()


def fill_in(at, q, key):
    """Set the widgets of question `q` (drawn under `key`) to its correct answer."""
    if q.type in ("single",):
        at.radio(key=key).set_value(q.answer)
    elif q.type == "multiple":
        for o in q.options:
            at.checkbox(key=f"{key}-{o.id}").set_value(o.id in q.answer)
    elif q.type == "ordering":
        for i, item in enumerate(q.answer):
            at.selectbox(key=f"{key}-{i}").set_value(item)
    elif q.type == "match":
        for tg in q.targets:
            at.selectbox(key=f"{key}-{tg.id}").set_value(tg.answer)
    elif q.type == "dropdown":
        for g in q.gaps:
            at.selectbox(key=f"{key}-{g.id}").set_value(g.answer)
    elif q.type == "yesno":
        for st_ in q.statements:
            at.radio(key=f"{key}-{st_.id}").set_value(st_.answer)
    else:
        for sub in q.questions:
            fill_in(at, sub, f"{key}-{sub.id}")


def test_exam_of_five_questions_end_to_end(page_test, sample_bank):
    at = quiz(page_test, "exam")
    at.number_input(key="exam_total").set_value(5).run()
    at.button(key="exam_start").click().run()
    assert not at.exception
    exam = at.session_state["exam"]
    assert len(exam.form.items) == 5
    bank = catalog().bank.questions
    for i in range(5):
        qid = exam.form.items[i].question_id
        if i > 0:  # the first item is left unanswered on purpose
            fill_in(at, bank[qid], f"exam-{qid}")
            at.run()
        if i == 1:
            at.checkbox(key=f"exam-flag-{exam.form.items[1].question_id}").check().run()
        if i < 4:
            next_item(at)
    at.button(key="exam_review_open").click().run()
    rows = [m.value for m in at.markdown if m.value.startswith(("1. ", "2. "))]
    flagged = bank[exam.form.items[1].question_id]
    assert any(identifying_text(flagged) in r and ":material/flag:" in r for r in rows), rows  # words, not an id
    assert not any(ch in "".join(rows) for ch in "🚩🔒")  # emoji need a font many machines lack
    at.button(key="exam_finish_review").click().run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    for item in exam.form.items:  # the result list names each question by its own words
        assert any(identifying_text(bank[item.question_id]) in label for label in labels), labels
        assert not any(item.question_id in label for label in labels)
    assert at.expander[0].proto.icon == ":material/radio_button_unchecked:"  # left blank on purpose
    assert "Not answered" in at.expander[0].warning[0].value
    assert {e.proto.icon for e in at.expander[1:]} == {":material/check_circle:"}
    first = bank[exam.form.items[0].question_id]
    expected = scaled_score(sum(bank[i.question_id].max_points for i in exam.form.items) - first.max_points,
                            sum(bank[i.question_id].max_points for i in exam.form.items))
    assert at.metric[0].value == f"{expected} / 1000"
    assert len(Record().answers()) == 5 and {a["mode"] for a in Record().answers()} == {"exam"}


def test_review_rates_a_missed_question_and_stores_its_card(page_test, sample_bank):
    Record().record_answer("ui-single-1", "B", False)
    at = quiz(page_test, "review")
    assert "1 question(s) to review" in at.caption[0].value
    at.radio[0].set_value("A").run()
    at.button(key="review_check").click().run()
    assert not at.exception
    card = Record().card("ui-single-1")
    assert card is not None and card["stability"] > 0
    assert "comes back on" in at.info[0].value
    at.button(key="review_next").click().run()
    assert "Nothing to review" in at.success[0].value


def test_a_broken_bank_file_is_named_and_the_rest_is_served(page_test, monkeypatch, tmp_path):
    import shutil

    import curriculum.check
    import quizzes.bank
    from tests.ui.conftest import FIXTURE_BANK

    shutil.copy(FIXTURE_BANK / "sample.yaml", tmp_path / "sample.yaml")
    (tmp_path / "broken.yaml").write_text("questions:\n  - id: [unclosed\n")
    for module in (quizzes.bank, curriculum.check):
        monkeypatch.setattr(module, "BANK_DIR", tmp_path)
    at = quiz(page_test)
    assert not at.exception
    assert "content problem" in at.expander[0].label
    assert "broken.yaml" in at.expander[0].code[0].value
    at.multiselect(key="practice_types").set_value(["single"]).run()
    at.button(key="practice_start").click().run()
    assert at.radio, "the questions of the good file are still served"


def test_review_lets_a_problem_be_reported_before_answering(page_test, sample_bank):
    Record().record_answer("ui-single-1", "B", False)
    at = quiz(page_test, "review")
    key = next(ta.key for ta in at.text_area if ta.key.endswith("-report-text"))
    at.text_area(key=key).input("Two options look right").run()
    at.button(key=key.replace("-report-text", "-report")).click().run()
    assert Record().problem_reports()[0]["question_id"] == "ui-single-1"


def test_a_case_study_in_the_results_is_named_by_its_scenario(page_test, sample_bank):
    at = exam_on(page_test, [("ui-case-1", "case_study")], minutes=5)
    at.button(key="exam_finish").click().run()
    assert at.expander[-1].label.startswith("1. Case study: Contoso wants one workspace for its data scientists.")


def test_a_half_filled_exam_item_earns_its_parts_and_a_cleared_one_counts_as_unanswered(page_test, sample_bank):
    at = exam_on(page_test, [("ui-match-1", "main"), ("ui-single-1", "main")], minutes=5)
    at.selectbox(key="exam-ui-match-1-t1").set_value("kv").run()  # one of the two targets
    exam = at.session_state["exam"]
    assert exam.answers["ui-match-1"] == {"t1": "kv", "t2": None}
    at.button(key="exam_next").click().run()
    at.radio(key="exam-ui-single-1").set_value("A").run()
    at.radio(key="exam-ui-single-1").set_value(None).run()  # taken back
    assert "ui-single-1" not in exam.answers
    at.button(key="exam_review_open").click().run()
    rows = [m.value for m in at.markdown if m.value.startswith(("1. ", "2. "))]
    assert "**incomplete**" in rows[0] and "**not answered**" in rows[1]
    at.button(key="exam_finish_review").click().run()
    assert not at.exception
    assert "(1/2) · time " in at.expander[0].label  # partial credit, as in the real exam
    assert at.expander[0].proto.icon == ":material/contrast:"  # neither right nor wrong
    assert at.expander[1].proto.icon == ":material/radio_button_unchecked:"


def test_the_exam_warns_before_a_section_closes_and_keeps_it_closed(page_test, sample_bank):
    at = exam_on(page_test, [("ui-single-1", "main"), ("ui-multiple-1", "main"), ("ui-yesno-1", "yesno")])
    assert not at.info  # the first item leads to another of the same section
    at.button(key="exam_next").click().run()
    assert "closes for good" in at.info[0].value
    at.button(key="exam_review_open").click().run()
    assert at.button(key="exam_go_2").disabled and not at.button(key="exam_go_0").disabled
    at.button(key="exam_go_1").click().run()
    at.button(key="exam_next").click().run()  # into the yes/no section: asked first
    at.button(key="exam_leave_confirm").click().run()
    at.button(key="exam_review_open").click().run()
    assert at.button(key="exam_go_0").disabled and at.button(key="exam_go_1").disabled
    assert at.session_state["exam"].locked == {"ui-single-1", "ui-multiple-1"}


def test_an_exam_in_progress_survives_a_refresh_with_its_inputs_filled(page_test, sample_bank):
    at = exam_on(page_test, [("ui-match-1", "main"), ("ui-multiple-1", "main"), ("ui-single-1", "main")])
    at.selectbox(key="exam-ui-match-1-t1").set_value("kv").run()
    at.checkbox(key="exam-flag-ui-match-1").check().run()
    at.button(key="exam_next").click().run()
    multiple = catalog().bank.questions["ui-multiple-1"]
    for oid in multiple.answer:
        at.checkbox(key=f"exam-ui-multiple-1-{oid}").check().run()
    at.button(key="exam_next").click().run()

    fresh = page_test("quiz_page.py")  # a new browser session: only the learner's record is shared
    fresh.query_params["mode"] = "exam"
    fresh.run()
    assert not fresh.exception
    exam = fresh.session_state["exam"]
    assert exam.answers["ui-match-1"] == {"t1": "kv", "t2": None} and exam.flagged == {"ui-match-1"}
    assert exam.index == 2 and exam.remaining() > 29 * 60
    fresh.button(key="exam_review_open").click().run()
    fresh.button(key="exam_go_1").click().run()  # back to the multiple-choice item: its boxes still ticked
    assert all(fresh.checkbox(key=f"exam-ui-multiple-1-{oid}").value for oid in multiple.answer)
    fresh.button(key="exam_prev").click().run()
    assert fresh.selectbox(key="exam-ui-match-1-t1").value == "kv"
    assert fresh.checkbox(key="exam-flag-ui-match-1").value
    fresh.button(key="exam_finish").click().run()
    assert "(1/2)" in fresh.expander[0].label
    fresh.button(key="exam_new").click().run()
    assert Record().get_setting("exam_in_progress") is None  # a new exam starts clean
    assert "exam" not in quiz(page_test, "exam").session_state


def test_a_running_exam_is_the_mode_a_fresh_quiz_page_opens_on_until_it_ends(page_test, sample_bank):
    at = exam_on(page_test, [("ui-single-1", "main"), ("ui-multiple-1", "main")])
    at.button(key="exam_next").click().run()
    fresh = page_test("quiz_page.py").run()  # a reload of the bare address: no mode in it
    assert fresh.segmented_control(key="quiz_mode").value == "exam"
    assert fresh.session_state["exam"].index == 1
    linked = page_test("quiz_page.py")
    linked.query_params["mode"] = "practice"  # a link that asks for practice still gets it
    assert linked.run().segmented_control(key="quiz_mode").value == "practice"
    fresh.button(key="exam_finish").click().run()
    assert page_test("quiz_page.py").run().segmented_control(key="quiz_mode").value == "practice"


def test_the_chosen_mode_goes_into_the_address_so_a_reload_keeps_it(page_test, sample_bank):
    at = page_test("quiz_page.py").run()
    at.segmented_control(key="quiz_mode").set_value("review").run()
    assert at.query_params["mode"] == "review"


def test_the_last_answer_before_a_refresh_is_kept(page_test, sample_bank):
    at = exam_on(page_test, [("ui-single-1", "main"), ("ui-yesno-1", "yesno")])
    next_item(at)
    at.radio(key="exam-ui-yesno-1-s1").set_value(False).run()
    at.radio(key="exam-ui-yesno-1-s2").set_value(True).run()  # nothing else happens before the refresh
    fresh = page_test("quiz_page.py")
    fresh.query_params["mode"] = "exam"
    fresh.run()
    assert [r.value for r in fresh.radio] == [False, True]
    assert fresh.session_state["exam"].answers["ui-yesno-1"] == {"s1": False, "s2": True}


def test_an_exam_says_when_a_domain_had_too_few_questions(page_test, sample_bank):
    at = quiz(page_test, "exam")
    at.number_input(key="exam_total").set_value(12).run()  # the fixture bank holds 7 questions
    at.button(key="exam_start").click().run()
    assert at.session_state["exam"].form.shortfall
    assert any("too few questions" in c.value for c in at.caption)


def test_the_review_screen_opens_again_after_going_to_an_item(page_test, sample_bank):
    # A fixed form: a drawn one may put item 1 in a later section, whose Go button is rightly disabled.
    at = exam_on(page_test, [("ui-single-1", "main"), ("ui-multiple-1", "main"), ("ui-match-1", "main")])
    at.button(key="exam_review_open").click().run()
    at.button(key="exam_go_1").click().run()
    at.button(key="exam_review_open").click().run()  # it raised "exam-go-0 is read-only" before
    assert not at.exception
    assert at.button(key="exam_go_0")


def test_review_keeps_its_question_while_another_card_falls_due(page_test, sample_bank):
    from datetime import UTC, datetime, timedelta

    from fsrs import Rating

    from quizzes.review import review as rate

    Record().record_answer("ui-single-1", "B", False)  # missed, no card yet: on screen first
    at = quiz(page_test, "review")
    shown = at.session_state["review_current"]
    assert shown == "ui-single-1"
    Record().record_answer("ui-yesno-1", {"s1": True, "s2": True}, False)
    rate(Record(), "ui-yesno-1", Rating.Again, when=datetime.now(UTC) - timedelta(days=1))  # now overdue
    at.run()  # any rerun while the learner is answering
    assert at.session_state["review_current"] == shown
    at.radio[0].set_value("A").run()
    at.button(key="review_check").click().run()
    at.button(key="review_next").click().run()
    assert at.session_state["review_current"] == "ui-yesno-1"


def test_the_shortfall_notice_names_domains_in_the_learners_language(page_test, sample_bank, monkeypatch):
    import ui.i18n

    monkeypatch.setattr(ui.i18n, "language", lambda: "pt-BR")
    at = page_test("quiz_page.py")
    at.query_params["mode"] = "exam"
    at.session_state["exam_bp"] = "dp-100-2020"
    at.run()
    at.number_input(key="exam_total").set_value(12).run()
    at.button(key="exam_start").click().run()
    exam = at.session_state["exam"]
    bp = catalog().blueprints.blueprints["dp-100-2020"]
    wanted = [d.title_in("pt-BR") for d in bp.domains if d.id in exam.form.shortfall]
    caption = next(c.value for c in at.caption if "poucas questões" in c.value)
    assert wanted and all(title in caption for title in wanted)


def test_practice_serves_only_the_chosen_outline(page_test):
    """The current outline's practice holds none of the retired SDK v1 items; choosing another outline restarts."""
    from quizzes.forms import question_domain

    at = page_test("quiz_page.py")  # clears the cached catalog an earlier test's fixture bank may have left
    cat = catalog()
    at.query_params["mode"] = "practice"
    at.run()
    for outline in ("dp-100-2025", "dp-100-2020"):
        at.selectbox(key="practice_bp").set_value(outline).run()
        assert "practice_queue" not in at.session_state or not at.session_state["practice_queue"]  # filters back
        at.button(key="practice_start").click().run()
        assert not at.exception, [e.value for e in at.exception]
        bp = cat.blueprints.blueprints[outline]
        queue = at.session_state["practice_queue"]
        assert queue and all(question_domain(cat.bank.questions[q], bp) for q in queue)
        assert f"of {len(queue)}" in at.get("progress")[0].proto.text


def test_exam_setup_says_when_an_outlines_bank_is_still_growing(page_test, sample_bank):
    """The fixture bank has no AI-300 question: the setup says so before the start, and the start explains."""
    at = page_test("quiz_page.py")
    at.query_params["mode"] = "exam"
    at.run()
    assert at.selectbox(key="exam_bp").value == "ai-300"  # the current exam's outline opens first
    growing = [i.value for i in at.info if "still growing" in i.value]
    assert growing and "Design and implement an MLOps infrastructure: 0/" in growing[0]
    at.button(key="exam_start").click().run()
    assert not at.exception and "exam" not in at.session_state
    assert "No question in the bank tests" in at.error[0].value
    assert growing[0].startswith("The Operationalizing Machine Learning and Generative AI Solutions question bank")
