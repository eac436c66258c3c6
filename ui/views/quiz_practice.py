"""Practice mode: filter, answer, check at once, read why."""

from __future__ import annotations

import random
from typing import Any

import streamlit as st

from quizzes.readiness import latest_misses, select_practice
from quizzes.scoring import score
from ui.data import Catalog
from ui.i18n import language, outline_title, t
from ui.session import record
from ui.views.quiz_common import choose_blueprint, report_problem, seconds_since, started_at
from ui.widgets.bookmark import bookmark_button
from ui.widgets.question import answer_input, feedback, seed

SAVED = "practice_in_progress"  # the record's setting that keeps the queue across refreshes and restarts
TYPES = ("single", "multiple", "ordering", "match", "dropdown", "yesno", "case_study")
LEVELS = ("easy", "medium", "hard")
# Where a queue's questions come from: every question that matches, the learner's misses, their bookmarks.
SOURCES = ("all", "misses", "bookmarks")
NOTHING_IN = {"all": "quiz.none_match", "misses": "quiz.no_misses", "bookmarks": "quiz.no_bookmarks"}


def _filters(cat: Catalog, bp) -> None:
    skill = st.query_params.get("skill")
    titles = {d.id: outline_title(d) for d in bp.domains}
    domains = st.multiselect(t("quiz.domains"), list(titles), key="practice_domains", format_func=titles.get,
                             placeholder=t("quiz.all"))
    wanted = [k for k in st.query_params.get_all("type") if k in TYPES]  # links may preselect item types
    types = st.multiselect(t("quiz.types"), TYPES, default=wanted, key="practice_types",
                           format_func=lambda k: t(f"type.{k}"), placeholder=t("quiz.all"))
    levels = st.multiselect(t("quiz.difficulty"), LEVELS, key="practice_levels", format_func=lambda k: t(f"level.{k}"),
                            placeholder=t("quiz.all"))
    if skill:
        known = cat.blueprints.skills.get(skill)
        st.caption(t("quiz.skill_filter", skill=outline_title(known) if known else skill))
    source = _source(cat, bp)
    st.button(t("quiz.start"), key="practice_start", type="primary", on_click=_start,
              args=(cat, bp, domains, types, levels, skill, source))
    if st.session_state.get("practice_queue") == []:
        st.warning(t(NOTHING_IN[source]))


def _source(cat: Catalog, bp) -> str:
    """All matching questions, or only the learner's misses or bookmarks (each counted in this outline)."""
    counts = {s: len(select_practice(cat.bank.questions, bp, among=_pool(s))) for s in SOURCES[1:]}
    labels = {"all": t("quiz.source_all"), "misses": t("quiz.source_misses", n=counts["misses"]),
              "bookmarks": t("quiz.source_bookmarks", n=counts["bookmarks"])}
    return st.segmented_control(t("quiz.source"), SOURCES, format_func=labels.get, default="all", required=True,
                                key="practice_source", help=t("quiz.source_help"))


def _pool(source: str) -> set[str] | None:
    """The question ids a source allows (None: any): misses are questions whose latest answer was wrong."""
    if source == "misses":
        return latest_misses(record().latest_scores())
    if source == "bookmarks":
        return set(record().bookmarks())
    return None


def _start(cat: Catalog, bp, domains, types, levels, skill, source: str = "all") -> None:
    # A callback, so the queue exists before the filters are drawn: they fold away in the same run instead of
    # collapsing on the learner's next click and shifting the question under the pointer.
    ids = select_practice(cat.bank.questions, bp, domains=set(domains), types=set(types),
                          difficulties=set(levels), skills={skill} if skill else None, among=_pool(source))
    random.shuffle(ids)
    st.session_state.update(practice_queue=ids, practice_index=0, practice_result=None, practice_outline=bp.id,
                            practice_skill=skill)
    _save()


def _start_linked_skill(cat: Catalog) -> None:
    """A link to practise a skill ("practise this" in Study) starts a new queue on it, in the skill's outline.

    Unless the queue under way is already that skill's: a reload of the same address keeps the learner's place.
    The link's item types (`type=`) are honoured; other filters start empty.
    """
    skill = st.query_params.get("skill")
    if not skill or st.session_state.get("practice_skill") == skill:
        return
    bp = next((b for b in cat.blueprints.blueprints.values() if b.domain_of(skill)), None)
    if bp is None:  # not a skill of any outline: the filters' caption names it and nothing matches
        return
    st.session_state["practice_bp"] = bp.id
    _start(cat, bp, [], [k for k in st.query_params.get_all("type") if k in TYPES], [], skill)


def _drop_other_outline(outline_id: str) -> None:
    """A queue belongs to the outline it was picked for: choosing another outline drops it (the filters open)."""
    state = st.session_state
    if state.get("practice_queue") and state.get("practice_outline") != outline_id:
        state.update(practice_queue=None, practice_index=0, practice_result=None)
        record().set_setting(SAVED, None)


def _next() -> None:
    st.session_state["practice_index"] += 1
    st.session_state["practice_result"] = None
    _save()


def _save(checked: Any = None) -> None:
    """Keep the queue, the position and a checked answer in the learner's record (a refresh starts a new session)."""
    state = st.session_state
    record().set_setting(SAVED, {"queue": state["practice_queue"], "index": state["practice_index"],
                                 "outline": state.get("practice_outline"), "skill": state.get("practice_skill"),
                                 "checked": checked})


def _restore(cat: Catalog) -> None:
    """Bring back the saved queue; a question that was checked comes back with its answer and feedback."""
    data = record().get_setting(SAVED) or {}
    queue, index = data.get("queue"), data.get("index", 0)
    if not queue or any(qid not in cat.bank.questions for qid in queue):  # nothing saved, or the bank changed
        return
    st.session_state.update(practice_queue=queue, practice_index=index, practice_result=None,
                            practice_outline=data.get("outline"), practice_skill=data.get("skill"))
    if data.get("outline") and "practice_bp" not in st.session_state:
        st.session_state["practice_bp"] = data["outline"]  # the outline box shows the queue's outline
    answer = data.get("checked")
    if answer is not None and index < len(queue):
        qid = queue[index]
        seed(cat.bank.get(qid, language()), f"practice-{qid}-{index}", answer)
        st.session_state["practice_result"] = (answer, score(cat.bank.questions[qid], answer))


def _check(cat: Catalog, qid: str, key: str) -> None:
    # Runs before the page is drawn again, so the inputs come back disabled and the feedback shows in one run.
    q = cat.bank.questions[qid]
    answer = st.session_state.get(f"{key}-answer")
    result = score(q, answer)
    record().record_answer(qid, answer, result.correct, score=result.share, seconds=seconds_since(key),
                           mode="practice")
    st.session_state["practice_result"] = (answer, result)
    _save(checked=answer)


def _question(cat: Catalog, qid: str) -> None:
    q = cat.bank.get(qid, language())
    key = f"practice-{qid}-{st.session_state['practice_index']}"
    started_at(key)
    result = st.session_state.get("practice_result")
    answer = answer_input(q, key, disabled=result is not None,
                          english_only=not cat.bank.has_translation(qid, language()))
    st.session_state[f"{key}-answer"] = answer
    if result is None:
        st.button(t("q.check"), key="practice_check", type="primary", disabled=answer is None,
                  on_click=_check, args=(cat, qid, key))
    else:
        feedback(q, *result, key=key, note_titles=cat.note_titles(language()))
        st.button(t("q.next"), key="practice_next", on_click=_next)
    bookmark_button(qid, f"{key}-bookmark")
    report_problem(qid, key)


def render(cat: Catalog) -> None:
    """The practice mode view."""
    if "practice_queue" not in st.session_state:
        _restore(cat)
    _start_linked_skill(cat)
    bp = choose_blueprint(cat, "practice_bp")
    _drop_other_outline(bp.id)
    queue = st.session_state.get("practice_queue") or []
    # A new key once practising starts: the frontend draws a fresh, folded expander rather than animating the
    # open one shut for half a second while the learner reaches for the first answer.
    with st.expander(t("quiz.filters"), expanded=not queue, key=f"practice_filters_{'closed' if queue else 'open'}"):
        _filters(cat, bp)
    index = st.session_state.get("practice_index", 0)
    if not queue:
        return
    if index >= len(queue):
        st.success(t("quiz.practice_done", n=len(queue)))
        return
    st.progress(index / len(queue), text=t("quiz.progress", i=index + 1, n=len(queue)))
    _question(cat, queue[index])
