"""Every item type rendered with plain widgets (no dragging), and the feedback shown after answering.

`answer_input` returns the answer in the shape `quizzes.scoring` expects, or None while incomplete.
"""

from __future__ import annotations

import random
import re
from typing import Any

import streamlit as st

from quizzes.scoring import Score
from ui.i18n import t

GAP = re.compile(r"\{\{\s*([A-Za-z0-9_-]+)\s*\}\}")


def _texts(options) -> dict[str, str]:
    return {o.id: o.text for o in options}


def _shuffled(options, key: str) -> dict[str, str]:
    """Option ids -> texts in an order shuffled per question and attempt (stable across reruns).

    Answers are ids, so the order is free; shuffling keeps a learner from remembering positions.
    """
    items = list(options)
    random.Random(key).shuffle(items)
    return _texts(items)


def _single(q, key, disabled, partial):
    labels = _shuffled(q.options, key)
    return st.radio(t("q.pick_one"), list(labels), format_func=labels.get, index=None, key=key, disabled=disabled)


def _multiple(q, key, disabled, partial):
    st.caption(t("q.choose_n", n=q.choose))
    labels = _shuffled(q.options, key)
    chosen = [oid for oid, text in labels.items() if st.checkbox(text, key=f"{key}-{oid}", disabled=disabled)]
    if len(chosen) > q.choose:
        st.warning(t("q.too_many", n=q.choose))
    return chosen or None


def _ordering(q, key, disabled, partial):
    labels = _shuffled(q.items, key)
    st.caption(t("q.order_n", n=len(q.answer)))
    picks = [st.selectbox(t("q.position", n=i + 1), list(labels), format_func=labels.get, index=None,
                          key=f"{key}-{i}", disabled=disabled) for i in range(len(q.answer))]
    chosen = [p for p in picks if p is not None]
    if len(set(chosen)) < len(chosen):
        st.warning(t("q.order_repeat"))
    return _settle(picks, [p is not None for p in picks], partial)


def _match(q, key, disabled, partial):
    labels = _shuffled(q.values, key)
    st.caption(t("q.match_hint"))
    given = {tg.id: st.selectbox(tg.text, list(labels), format_func=labels.get, index=None,
                                 key=f"{key}-{tg.id}", disabled=disabled) for tg in q.targets}
    return _settle(given, [v is not None for v in given.values()], partial)


def _dropdown(q, key, disabled, partial):
    numbers = {g.id: i + 1 for i, g in enumerate(q.gaps)}
    shown = GAP.sub(lambda m: f"[{numbers.get(m.group(1), '?')} ▾]", q.code)
    st.code(shown, language=q.language)
    given = {}
    for g in q.gaps:
        labels = _shuffled(g.options, f"{key}-{g.id}")
        given[g.id] = st.selectbox(t("q.gap", n=numbers[g.id]), list(labels), format_func=labels.get,
                                   index=None, key=f"{key}-{g.id}", disabled=disabled)
    return _settle(given, [v is not None for v in given.values()], partial)


def _yesno(q, key, disabled, partial):
    given = {}
    for s in q.statements:
        choice = st.radio(s.text, [True, False], format_func=lambda v: t("q.yes") if v else t("q.no"),
                          index=None, horizontal=True, key=f"{key}-{s.id}", disabled=disabled)
        given[s.id] = choice
    return _settle(given, [v is not None for v in given.values()], partial)


def _case_study(q, key, disabled, partial):
    tabs = st.tabs([tab.title for tab in q.tabs])
    for tab, body in zip(tabs, q.tabs, strict=True):
        tab.markdown(body.body)
    given = {}
    for i, sub in enumerate(q.questions):
        st.markdown(f"**{i + 1}.** {sub.stem}")
        given[sub.id] = answer_input(sub, f"{key}-{sub.id}", disabled=disabled, show_stem=False, partial=partial)
    return _settle(given, [v is not None for v in given.values()], partial)


def _settle(given, filled: list[bool], partial: bool):
    """The answer when every part is filled (or, with `partial`, any part); None otherwise."""
    return given if all(filled) or (partial and any(filled)) else None


_INPUTS = {"single": _single, "multiple": _multiple, "ordering": _ordering, "match": _match,
           "dropdown": _dropdown, "yesno": _yesno, "case_study": _case_study}


def answer_input(q, key: str, disabled: bool = False, show_stem: bool = True, english_only: bool = False,
                 partial: bool = False) -> Any:
    """Show a question's stem and inputs; return the answer so far (None while incomplete).

    `english_only` says the learner's language has no translation of it, so the English text is served.
    `partial` returns a half-filled answer instead of None (the exam scores each part: 3 of 4 matches earn 3
    points); None then means nothing at all was chosen.
    """
    if english_only:
        st.caption(t("q.english_only"))  # say so rather than switch language silently
    if show_stem:
        st.markdown(q.stem)
    return _INPUTS[q.type](q, key, disabled, partial)


# Material icons ship with Streamlit's own font, so the marks show even where no emoji font is installed.
RIGHT = ":green[:material/check_circle:]"
WRONG = ":red[:material/cancel:]"
NOTE = ":material/menu_book:"


def seed(q, key: str, answer: Any) -> None:
    """Put a saved answer back into the widgets `answer_input` draws under `key` (before they are drawn).

    A restored exam comes back with its inputs filled, as the learner left them.
    """
    if answer is None:
        return
    state = st.session_state
    if q.type == "single":
        state[key] = answer
    elif q.type == "multiple":
        for oid in answer:
            state[f"{key}-{oid}"] = True
    elif q.type == "ordering":
        for i, item in enumerate(answer):
            if item is not None:
                state[f"{key}-{i}"] = item
    elif q.type == "case_study":
        for sub in q.questions:
            seed(sub, f"{key}-{sub.id}", answer.get(sub.id))
    else:  # match, dropdown, yesno: part id -> choice
        for part, value in answer.items():
            if value is not None:
                state[f"{key}-{part}"] = value


def _mark(ok: bool) -> str:
    return RIGHT if ok else WRONG


def _yours(given: str | None, right: str, labels: dict[str, str], code: bool = False) -> str:
    """' (your answer: X)' after a wrong pick, so the learner sees what they chose next to the key."""
    if given is None or given == right:
        return ""
    text = labels.get(given, given)
    return " " + t("q.yours", answer=f"`{text}`" if code else text)


def _option_lines(options, right: set[str], chosen: set[str]) -> list[str]:
    """One line per option: ticked if chosen, a green mark on each right option and a red one on a wrong pick."""
    lines = []
    for o in options:
        tick = "☑" if o.id in chosen else "☐"
        mark = f"{RIGHT} " if o.id in right else f"{WRONG} " if o.id in chosen else ""
        verdict = t("q.right_option") if o.id in right else t("q.wrong_option")
        lines.append(f"- {tick} {mark}**{o.text}** — *{verdict}.* {o.rationale}")
    return lines


def _explain(q, answer) -> list[str]:
    kind = q.type
    if kind == "single":
        return _option_lines(q.options, {q.answer}, {answer} if answer else set())
    if kind == "multiple":
        return _option_lines(q.options, set(q.answer), set(answer or []))
    if kind == "ordering":
        labels = _texts(q.items)
        given = list(answer or [])
        steps = [f"{i + 1}. {_mark(i < len(given) and given[i] == item)} **{labels[item]}**"
                 + _yours(given[i] if i < len(given) else None, item, labels) for i, item in enumerate(q.answer)]
        return [f"{t('q.correct_order')}:", ""] + steps + [""] + [f"- *{o.text}*: {o.rationale}" for o in q.items]
    if kind == "match":
        labels = _texts(q.values)
        given = answer or {}
        lines = [f"- {_mark(given.get(tg.id) == tg.answer)} {tg.text} → **{labels[tg.answer]}**"
                 + _yours(given.get(tg.id), tg.answer, labels)
                 + (f" — {tg.rationale}" if tg.rationale else "") for tg in q.targets]
        return lines + [f"- *{o.text}*: {o.rationale}" for o in q.values]
    if kind == "dropdown":
        lines = []
        for i, g in enumerate(q.gaps):
            labels = _texts(g.options)
            mine = (answer or {}).get(g.id)
            # Blank lines around each gap's heading: without them markdown folds it into the list above.
            lines += ["", f"{_mark(mine == g.answer)} **{t('q.gap', n=i + 1)}: `{labels[g.answer]}`**"
                      + _yours(mine, g.answer, labels, code=True), ""]
            lines += [f"- `{o.text}`: {o.rationale}" for o in g.options]
        return lines
    if kind == "yesno":
        given, labels = answer or {}, {True: t("q.yes"), False: t("q.no")}
        return [f"- {_mark(given.get(s.id) is s.answer)} {s.text} — **{labels[s.answer]}**"
                + _yours(given.get(s.id), s.answer, labels) + f". {s.rationale}" for s in q.statements]
    lines = []
    for i, sub in enumerate(q.questions):
        lines += ["", f"**{i + 1}. {sub.stem}**", ""]
        lines += _explain(sub, (answer or {}).get(sub.id))
    return lines


def feedback(q, answer: Any, result: Score, key: str, note_titles: dict[str, str] | None = None) -> None:
    """Show the verdict, the rationale of every option and the references.

    A note reference is a button that opens that section on the Study page; `key` keeps the buttons of
    several feedbacks on one page (the exam report) apart.
    """
    if result.correct:
        st.success(t("q.correct"))
    elif answer is None:  # an exam item left blank
        st.warning(t("q.not_answered", max=f"{result.max_points:g}"))
    else:
        st.error(t("q.partly", points=f"{result.points:g}", max=f"{result.max_points:g}"))
    st.markdown("\n".join(_explain(q, answer)))
    web = [ref for ref in q.references if ref.startswith(("http://", "https://"))]
    for i, ref in enumerate(r for r in q.references if r not in web):
        label = t("q.read_note", note=(note_titles or {}).get(ref, ref))
        if st.button(label, key=f"{key}-note-{i}", icon=NOTE, type="tertiary"):
            _open_note(ref)
    if web:
        st.caption(" · ".join(f"[{t('q.learn_link')}]({ref})" for ref in web))


def _open_note(ref: str) -> None:
    """Open a `note-id#anchor` reference on the Study page through its deep link (`?note=<id>&section=<anchor>`),
    which opens the section scrolled into view even over a note left open there."""
    from ui.views.study_reader import STUDY_PAGE, deep_link  # the Study page's own link format, read on a click

    st.switch_page(STUDY_PAGE, query_params=deep_link(ref))
