"""Exam mode: a timed, blueprint-weighted form with flags, a review screen and a score report."""

from __future__ import annotations

import streamlit as st

from quizzes.exam import ExamSession
from quizzes.forms import DEFAULT_QUESTIONS, MINUTES_PER_QUESTION, assemble, exam_minutes, thin_domains
from quizzes.history import save_attempt
from quizzes.scoring import PASS_MARK, is_complete
from quizzes.wording import STEM_LIMIT, identifying_text, short_stem
from ui.data import Catalog
from ui.i18n import language, outline_title, t
from ui.session import record
from ui.views.quiz_common import choose_blueprint
from ui.views.quiz_history import exam_history
from ui.widgets.bookmark import bookmark_button
from ui.widgets.question import answer_input, feedback, seed

# Material icons (Streamlit's own font) rather than emoji, which need a font many machines lack.
FLAG = ":orange[:material/flag:]"
LOCK = ":material/lock:"
RIGHT_ICON, WRONG_ICON, BLANK_ICON = ":material/check_circle:", ":material/cancel:", ":material/radio_button_unchecked:"
PARTLY_ICON = ":material/contrast:"  # a half-filled circle: some parts of a multi-part item earned points
SAVED = "exam_in_progress"  # the record's setting that keeps the attempt across refreshes and restarts
REVIEW_STEM = 70  # a little shorter on the review screen, which shares its row with a Go button


def _scale_minutes(per_question: float | None) -> None:
    # A callback: the time limit follows the number of questions (the learner may still change it after).
    st.session_state["exam_minutes"] = exam_minutes(st.session_state["exam_total"], per_question)


def _setup(cat: Catalog) -> None:
    bp = choose_blueprint(cat, "exam_bp")
    c1, c2 = st.columns(2)
    # Sizes seeded through the session, never `value=` as well: the minutes are also set by a callback.
    st.session_state.setdefault("exam_total", DEFAULT_QUESTIONS)
    per_question = bp.minutes_per_question  # None: the usual 2 minutes
    st.session_state.setdefault("exam_minutes", exam_minutes(st.session_state["exam_total"], per_question))
    total = c1.number_input(t("exam.questions"), 1, 200, key="exam_total", on_change=_scale_minutes,
                            args=(per_question,))
    minutes = c2.number_input(t("exam.minutes"), 1, 300, key="exam_minutes",
                              help=t("exam.minutes_help", per=f"{per_question or MINUTES_PER_QUESTION:g}"))
    st.caption(t("exam.rules"))
    _bank_growing(cat, bp, int(total))
    if st.button(t("exam.start"), key="exam_start", type="primary"):
        try:
            form = assemble(cat.bank.questions.values(), bp, total=int(total), minutes=int(minutes))
        except ValueError:  # the inputs' bounds rule out the size error: the outline has no question in the bank
            st.error(t("exam.no_questions", outline=outline_title(bp)))
            return
        st.session_state["exam"] = ExamSession(form)
        st.session_state["exam_domains"] = {d.id: outline_title(d) for d in bp.domains}
        st.rerun()
    exam_history(cat, key="exam_history")


def _bank_growing(cat: Catalog, bp, total: int) -> None:
    """Say before the start when the outline's bank cannot fill every domain's share (a new outline's bank grows)."""
    thin = thin_domains(cat.bank.questions.values(), bp, total)
    if thin:
        titles = {d.id: outline_title(d) for d in bp.domains}
        short = ", ".join(f"{titles[d]}: {have}/{wanted}" for d, (have, wanted) in thin.items())
        st.info(t("exam.bank_growing", outline=outline_title(bp), domains=short))


def minutes_seconds(seconds: float) -> str:
    """A duration as mm:ss (minutes may pass 59: an exam's clock reads 100:00)."""
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


@st.fragment(run_every=1)
def _clock(ex: ExamSession) -> None:
    left = int(ex.remaining())
    st.markdown(t("exam.time_left", time=minutes_seconds(left)))
    if left <= 0 and not ex.finished:
        st.rerun(scope="app")  # the whole page ends the exam


def _go(ex: ExamSession, index: int) -> None:
    ex.go_to(index)
    st.session_state["exam_review"] = False
    st.session_state.pop("exam_leaving", None)


def _next(ex: ExamSession) -> None:
    """Next item; at a section's end, ask first (the section closes for good once left)."""
    if ex.leaves_section(ex.index + 1):
        st.session_state["exam_leaving"] = ex.index + 1
    else:
        _go(ex, ex.index + 1)


def _confirm_leaving(ex: ExamSession, target: int) -> None:
    """The question the real exam asks before a section closes: leave it for good, or stay."""
    with st.container(border=True, key="exam_leaving_box"):
        st.warning(t("exam.leave_section"), icon=":material/lock:")
        c1, c2 = st.columns(2)
        c1.button(t("exam.leave_confirm"), key="exam_leave_confirm", type="primary", on_click=_go,
                  args=(ex, target))
        c2.button(t("exam.leave_cancel"), key="exam_leave_cancel",
                  on_click=lambda: st.session_state.pop("exam_leaving", None))


def _finish(ex: ExamSession, cat: Catalog) -> None:
    if ex.finished:  # already ended (another tab, or the clock): recorded once
        return
    ex.finish()
    rec = record()
    for qid, s in ex.scores(cat.bank.questions).items():
        rec.record_answer(qid, ex.answers.get(qid), s.correct, score=s.share,
                          seconds=ex.seconds.get(qid, 0.0), mode="exam")
    save_attempt(rec, ex, ex.report(cat.bank.questions, _domain_titles(ex, cat)))


def _domain_titles(ex: ExamSession, cat: Catalog) -> dict[str, str]:
    """The exam's domain titles in the learner's language of now (they may have switched it since it began)."""
    bp = cat.blueprints.blueprints.get(ex.form.blueprint_id)
    return {d.id: outline_title(d) for d in bp.domains} if bp else st.session_state.get("exam_domains", {})


def _item(ex: ExamSession, cat: Catalog) -> None:
    item = ex.current
    n = len(ex.form.items)
    st.subheader(t("exam.item", i=ex.index + 1, n=n))
    if not item.revisitable:
        st.warning(t("exam.no_return"))
    if ex.leaves_section(ex.index + 1):
        st.info(t("exam.section_ends"), icon=":material/lock_clock:")
    q = cat.bank.get(item.question_id, language())
    answer = answer_input(q, f"exam-{item.question_id}", partial=True,
                          english_only=not cat.bank.has_translation(item.question_id, language()))
    if answer != ex.answers.get(item.question_id):
        ex.answer(item.question_id, answer)  # None: the learner cleared every choice
    flag_key = f"exam-flag-{item.question_id}"
    # Seeded through the session, never `value=` as well: a widget given both logs Streamlit's warning.
    st.session_state.setdefault(flag_key, item.question_id in ex.flagged)
    st.checkbox(t("exam.flag"), key=flag_key, on_change=ex.toggle_flag, args=(item.question_id,))
    leaving = st.session_state.get("exam_leaving")
    if leaving == ex.index + 1:
        _confirm_leaving(ex, leaving)
        return
    c1, c2, c3, c4 = st.columns(4)
    c1.button(t("exam.previous"), key="exam_prev", disabled=not ex.can_visit(ex.index - 1),
              on_click=_go, args=(ex, ex.index - 1))
    c2.button(t("exam.next"), key="exam_next", disabled=ex.index + 1 >= n, on_click=_next, args=(ex,))
    c3.button(t("exam.review_screen"), key="exam_review_open",
              on_click=lambda: st.session_state.update(exam_review=True))
    c4.button(t("exam.finish"), key="exam_finish", type="primary", on_click=_finish, args=(ex, cat))


def _state(q, answer) -> str:
    """Answered, incomplete (some parts still blank) or not answered, the last two in bold to stand out."""
    if answer is None:
        return f"**{t('exam.unanswered')}**"
    return t("exam.answered") if is_complete(q, answer) else f"**{t('exam.incomplete')}**"


def _review_screen(ex: ExamSession, cat: Catalog) -> None:
    st.subheader(t("exam.review_screen"))
    for i, item in enumerate(ex.form.items):
        q = cat.bank.get(item.question_id, language())
        state = _state(q, ex.answers.get(item.question_id))
        flag = f" {FLAG}" if item.question_id in ex.flagged else ""
        lock = f" {LOCK}" if item.question_id in ex.locked else ""
        stem = _label(q, REVIEW_STEM)
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].markdown(f"{i + 1}. {stem} — {state}{flag}{lock}")
        # Later sections open in order, through Next, which warns that the current one then closes.
        cols[1].button(t("exam.go"), key=f"exam_go_{i}", disabled=not ex.can_visit(i) or ex.leaves_section(i),
                       on_click=_go, args=(ex, i))
    st.button(t("exam.finish"), key="exam_finish_review", type="primary", on_click=_finish, args=(ex, cat))


def _label(q, limit: int = STEM_LIMIT) -> str:
    """A question named by its own words; a case study by its type and scenario (their stems are all alike)."""
    words = short_stem(identifying_text(q), limit)
    return f"{t('type.case_study')}: {words}" if q.type == "case_study" else words


def _result_icon(score, answered: bool) -> str:
    if score.correct:
        return RIGHT_ICON
    if not answered:
        return BLANK_ICON
    return PARTLY_ICON if score.points > 0 else WRONG_ICON


def _report(ex: ExamSession, cat: Catalog) -> None:
    report = ex.report(cat.bank.questions, _domain_titles(ex, cat))
    st.metric(t("exam.scaled"), f"{report.scaled} / 1000", help=t("exam.estimate_help"))
    if report.passed:
        st.success(t("exam.passed", mark=PASS_MARK))
    else:
        st.error(t("exam.failed", mark=PASS_MARK))
    st.caption(t("exam.estimate_help"))
    for d in report.domains:
        st.progress(d.share, text=f"{d.title}: {d.share:.0%} ({d.points:g}/{d.max_points:g})")
    used = min(ex.time_used(), ex.form.minutes * 60)
    st.caption(t("exam.time_used", used=minutes_seconds(used), limit=minutes_seconds(ex.form.minutes * 60),
                 average=minutes_seconds(used / len(ex.form.items))))
    scores = ex.scores(cat.bank.questions)
    titles = cat.note_titles(language())
    for i, item in enumerate(ex.form.items):
        s = scores[item.question_id]
        q = cat.bank.get(item.question_id, language())
        # The learner knows a question by its words, not by its id in the bank.
        spent = t("exam.item_time", time=minutes_seconds(ex.seconds.get(item.question_id, 0.0)))
        with st.expander(f"{i + 1}. {_label(q)} ({s.points:g}/{s.max_points:g}) · {spent}",
                         icon=_result_icon(s, item.question_id in ex.answers)):
            st.markdown(q.stem)
            feedback(q, ex.answers.get(item.question_id), s, key=f"exam_notes_{i}", note_titles=titles)
            bookmark_button(item.question_id, f"exam_bookmark_{item.question_id}")  # "exam_": not re-stored
    if st.button(t("exam.new"), key="exam_new"):
        st.session_state.pop("exam", None)
        st.rerun()


def _keep_answers_on_screen() -> None:
    # Streamlit forgets a widget's value in any run where the widget is not drawn; re-storing the values
    # keeps an answered item's inputs filled when the learner comes back to it. Only answer inputs and flags
    # use the "exam-" prefix: a button's state cannot be assigned (its keys use "exam_").
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("exam-")]:
        st.session_state[key] = st.session_state[key]


def _restore(cat: Catalog) -> ExamSession | None:
    """The attempt saved in the learner's record (a refresh or a restart starts a new session), widgets refilled."""
    data = record().get_setting(SAVED)
    if not data:
        return None
    try:
        ex = ExamSession.from_dict(data)
        bp = cat.blueprints.blueprints[ex.form.blueprint_id]
        questions = {it.question_id: cat.bank.get(it.question_id, language()) for it in ex.form.items}
    except (ValueError, KeyError):  # unreadable, or its outline or questions left the bank
        record().set_setting(SAVED, None)
        st.warning(t("exam.lost"))
        return None
    for qid, answer in ex.answers.items():
        seed(questions[qid], f"exam-{qid}", answer)
    # Flags need no seeding here: `_item` seeds an item's flag box from the attempt when it first draws it.
    st.session_state.update(exam=ex, exam_domains={d.id: outline_title(d) for d in bp.domains})
    return ex


def in_progress() -> bool:
    """Whether an exam has begun and not ended, in this session or (after a reload) in the learner's record."""
    ex = st.session_state.get("exam")
    if ex is not None:
        return not ex.finished
    data = record().get_setting(SAVED)
    return bool(data) and data.get("finished_at") is None


def _shortfall(ex: ExamSession) -> None:
    """Say when the bank could not fill a domain's share, so the learner reads the domain bars with care."""
    if ex.form.shortfall:
        titles = st.session_state.get("exam_domains", {})
        short = ", ".join(f"{titles.get(d, d)}: -{n}" for d, n in ex.form.shortfall.items())
        st.caption(t("exam.shortfall", domains=short))


def _save(ex: ExamSession | None) -> None:
    """Keep the attempt in the learner's record, writing only when something changed."""
    data = ex.to_dict() if ex else None
    if st.session_state.get("exam_saved", "unset") != data:
        record().set_setting(SAVED, data)
        st.session_state["exam_saved"] = data


def render(cat: Catalog) -> None:
    """The exam mode view."""
    _keep_answers_on_screen()
    ex: ExamSession | None = st.session_state.get("exam") or ("exam_saved" not in st.session_state
                                                               and _restore(cat)) or None
    if ex is None:
        _save(None)
        _setup(cat)
        return
    if not ex.finished and ex.time_is_up():
        _finish(ex, cat)
        st.info(t("exam.time_up"))
    if ex.finished:
        _save(ex)
        _report(ex, cat)
        return
    _clock(ex)
    _shortfall(ex)
    if st.session_state.get("exam_review"):
        _review_screen(ex, cat)
    else:
        _item(ex, cat)
    _save(ex)
