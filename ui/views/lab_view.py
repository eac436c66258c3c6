"""The Labs page's parts: the catalogue and one lab as a checklist of steps with a code cell."""

from __future__ import annotations

import streamlit as st

from labs import api
from labs.kernel import CellResult
from ui import jobs, startup
from ui.data import catalog
from ui.i18n import language, outline_title, t
from ui.session import record
from ui.views import lab_place
from ui.widgets.cell_output import MARKS as CHECK_MARKS
from ui.widgets.cell_output import note_button, show_checks, show_outputs, show_streamed
from ui.widgets.code_input import code_input, replace_code
from ui.widgets.jupyterlab_button import jupyterlab_button
from ui.widgets.lab_about import lab_about
from ui.widgets.lab_isolation import isolation_caption
from ui.widgets.step_list import step_list


def catalogue() -> None:
    """Every lab with its status; the skill filter comes from the Study page's "lab for this" link."""
    skill = st.query_params.get("skill")
    cards = api.list_labs(language())
    isolation_caption()
    if skill:
        cards = [c for c in cards if skill in c["skills"]]
        known = catalog().blueprints.skills.get(skill)  # the skill's words, not its id
        st.caption(t("lab.for_skill", skill=outline_title(known) if known else skill))
        if not cards:
            st.info(t("lab.none_for_skill"))
    for card in cards:
        with st.container(border=True):
            st.subheader(f"{card['id']} · {card['title']}")
            _status_badge(card)
            st.write(card["summary"])
            sdk = t("lab.sdk_azureml_core") if card["sdk"] == "v1" else t("lab.sdk_azure_ai_ml")
            st.caption(t("lab.card_meta", sdk=sdk, minutes=card["minutes"], passed=card["passed"], steps=card["steps"]))
            st.button(t("lab.open"), key=f"lab-open-{card['id']}", on_click=_open, args=(card["id"],))


def _status_badge(card: dict) -> None:
    if card["passed"] >= card["steps"]:
        st.badge(t("lab.status_done"), icon=":material/check_circle:", color="green")
    elif card["passed"]:
        st.badge(t("lab.status_started"), icon=":material/pending:", color="orange")
    else:
        st.badge(t("lab.status_new"), icon=":material/radio_button_unchecked:", color="gray")


def _open(lab_id: str) -> None:
    """Open a lab (on the step chosen last time, or else its first step not yet passed: see lab_place)."""
    st.session_state[lab_place.OPEN] = lab_id


def _job_key(lab_id: str, job: str) -> str:
    """A lab's own key for a background job, so its result shows in that lab only (and a reset drops it)."""
    return f"lab-{lab_id}-job-{job}"


def _sidebar_actions(lab_id: str, titles: dict[str, str]) -> None:
    if st.button(t("lab.check_all"), key="lab_check_all", width="stretch"):
        jobs.start(_job_key(lab_id, "all"), api.check_lab, lab_id)
    if st.button(t("lab.restart"), key="lab_restart", width="stretch"):
        api.close_session(lab_id)
        st.toast(t("lab.restarted"))
    if st.button(t("lab.reset"), key="lab_reset", width="stretch"):
        st.session_state["lab_reset_open"] = True
    if st.session_state.get("lab_reset_open"):  # open until confirmed or dismissed (not only on the click's run)
        st.dialog(t("lab.reset"), on_dismiss=_close_reset)(_confirm_reset)(lab_id)
    jobs.show_job(_job_key(lab_id, "all"), lambda reports: _all_reports(reports, titles), t("lab.checking"))


def _close_reset() -> None:
    st.session_state.pop("lab_reset_open", None)


def _confirm_reset(lab_id: str) -> None:
    """Ask before a reset (it cannot be undone); the dialog closes with the rerun that follows it."""
    st.write(t("lab.reset_warning"))
    if st.button(t("lab.reset_confirm"), key="lab_reset_yes", type="primary"):
        api.reset_lab(lab_id, confirm=True)
        record().set_setting(f"lab_code:{lab_id}", {})
        lab_place.forget_step(lab_id)
        # Outputs, reports, hints and code typed for the old attempt go with it; a new editor generation
        # makes the editor component drop the text it holds in the browser.
        for key in [k for k in st.session_state if str(k).startswith(f"lab-{lab_id}-")]:
            del st.session_state[key]
        st.session_state["lab_editor_gen"] = st.session_state.get("lab_editor_gen", 0) + 1
        st.session_state["lab_reset_notice"] = True
        _close_reset()
        st.rerun()


def _all_reports(reports, titles: dict[str, str]) -> None:
    """A count under the checklist (whose marks now show each step), then one line per step on demand."""
    passed = sum(1 for r in reports if r.passed)
    st.markdown(t("lab.all_summary", passed=passed, total=len(reports)))
    with st.expander(t("lab.all_details")):
        for report in reports:
            mark = CHECK_MARKS["passed" if report.passed else "failed"]
            title = titles.get(report.step_id, report.step_id)
            st.markdown(f"{mark} **{title}**: {report.message_in(language())}")


def _step(lab_id: str, step: dict, following: dict | None) -> None:
    st.subheader(f"{step['number']}. {step['title']}")
    st.markdown(step["instructions"])
    if step["note"]:
        note_button(step["note"], f"lab-note-{lab_id}-{step['id']}")
    key = f"lab-{lab_id}-{step['id']}"
    saved = _saved_code(lab_id)
    code, submitted = code_input(saved.get(step["id"], step["starter"]), key,
                                 generation=st.session_state.get("lab_editor_gen", 0))
    if code != saved.get(step["id"], step["starter"]):  # typed code outlives a refresh or a restart
        record().set_setting(f"lab_code:{lab_id}", {**saved, step["id"]: code})
    c1, c2, c3, c4 = st.columns(4)
    run = c1.button(t("lab.run"), key="lab_run", type="primary") or submitted
    check = c2.button(t("lab.check"), key="lab_check")
    # Hints and the solution are fetched in the buttons' callbacks, so the Hint button is already disabled
    # when the last hint shows; what was revealed is in the attempt, so a refreshed page shows it again.
    hints = st.session_state.get(f"{key}-hints", step["hints_shown"])
    c3.button(f"{t('lab.hint')} ({len(hints)}/{step['hints_total']})", key="lab_hint",
              disabled=len(hints) >= step["hints_total"], on_click=_reveal_hint, args=(lab_id, step["id"], key))
    c4.button(t("lab.solution"), key="lab_solution", on_click=_reveal_solution, args=(lab_id, step["id"], key))
    for i, hint in enumerate(hints, start=1):
        st.info(f"{t('lab.hint')} {i}/{step['hints_total']}: {hint}")
    if f"{key}-solution" not in st.session_state and step["solution_shown"]:
        st.session_state[f"{key}-solution"] = api.solution(lab_id, step["id"])
    if f"{key}-solution" in st.session_state:
        st.code(st.session_state[f"{key}-solution"], language="python")
        st.button(t("lab.copy_solution"), key="lab_copy_solution", icon=":material/content_copy:",
                  on_click=_copy_solution, args=(lab_id, step["id"], key))
    _cell_outputs(lab_id, step["id"], key, code if run else None)
    if check:
        jobs.start(f"{key}-report", api.check_step, lab_id, step["id"])
    elif f"{key}-report" not in st.session_state:  # a new session: the last report kept on disk
        kept = api.last_report(lab_id, step["id"])
        if kept is not None:
            jobs.finished(f"{key}-report", kept)
    jobs.show_job(f"{key}-report", show_checks, t("lab.checking"))
    _next_step(lab_id, step, following)


def _cell_outputs(lab_id: str, step_id: str, key: str, code: str | None) -> None:
    """Run `code` when given and show its outputs as they arrive; else the last run's (in a new session, the
    outputs kept on disk)."""
    if code is not None:
        # A report judged the state before this run: it is stale (None, not absent: no kept report either).
        st.session_state[f"{key}-report"] = None
        live = CellResult(status="ok")  # filled by the kernel as outputs arrive, shown while the cell runs
        jobs.start(f"{key}-result", _run_cell, lab_id, step_id, code, live, live=live)
    elif f"{key}-result" not in st.session_state:
        kept = api.last_outputs(lab_id, step_id, language())
        if kept is not None:
            jobs.finished(f"{key}-result", kept)
    jobs.show_job(f"{key}-result", show_outputs, t("lab.running"), render_live=show_streamed)


def _next_step(lab_id: str, step: dict, following: dict | None) -> None:
    """Once a step passes: a button to the next one (or a word that the lab is done)."""
    if not (step["result"] and step["result"]["passed"]):
        return
    if following is None:
        st.success(t("lab.last_step_passed"), icon=":material/celebration:")
        return
    st.button(t("lab.next_step", step=f"{following['number']}. {following['title']}"), key="lab_next",
              type="primary", icon=":material/arrow_forward:", on_click=lab_place.choose_step,
              args=(lab_id, following["id"]))


def _copy_solution(lab_id: str, step_id: str, key: str) -> None:
    """Put the shown solution in the editor (and keep it as the step's typed code)."""
    solution = st.session_state[f"{key}-solution"]
    replace_code(key, solution)
    record().set_setting(f"lab_code:{lab_id}", {**_saved_code(lab_id), step_id: solution})
    # A new generation of the editor component: its browser side only reads the code when it is built.
    st.session_state["lab_editor_gen"] = st.session_state.get("lab_editor_gen", 0) + 1


def _saved_code(lab_id: str) -> dict[str, str]:
    """The code last typed in each step of a lab (kept in the learner's record)."""
    return record().get_setting(f"lab_code:{lab_id}", {}) or {}


def _reveal_hint(lab_id: str, step_id: str, key: str) -> None:
    st.session_state[f"{key}-hints"] = api.next_hint(lab_id, step_id, language())


def _reveal_solution(lab_id: str, step_id: str, key: str) -> None:
    st.session_state[f"{key}-solution"] = api.solution(lab_id, step_id)


def _run_cell(lab_id: str, step_id: str, code: str, live):
    return api.run_cell(lab_id, step_id, code, into=live)


def _jump(lab_id: str, step_id: str):
    return api.open_session(lab_id).jump_to(step_id)


def _jumped(results) -> None:
    """Say the earlier solutions ran, or show the one that failed (the jump stops there)."""
    if results and not results[-1].ok:
        show_outputs(results[-1])
    else:
        st.caption(t("lab.jumped"))


def lab(lab_id: str) -> None:
    """One lab: what it teaches and needs, then the checklist on the left and the chosen step on the right."""
    startup.checks_warmed()  # first, so the imports overlap a first opening's set-up (a subprocess)
    api.prepare(lab_id)
    if st.session_state.pop("lab_reset_notice", False):
        st.toast(t("lab.reset_done"), icon=":material/restart_alt:")
    steps = api.steps(lab_id, language())
    st.button(t("lab.back"), key="lab_back", on_click=lab_place.close_lab)
    lab_about(lab_id, steps, _open)
    chosen = lab_place.chosen_step(lab_id, steps)
    ids = [s["id"] for s in steps]
    left, right = st.columns([1, 3])
    with left:
        step_list(lab_id, steps, chosen, lab_place.choose_step)
        _sidebar_actions(lab_id, {s["id"]: f"{s['number']}. {s['title']}" for s in steps})
        jupyterlab_button(lab_id)
        if ids.index(chosen) > 0 and st.button(t("lab.jump"), key="lab_jump"):
            jobs.start(_job_key(lab_id, "jump"), _jump, lab_id, chosen)
        jobs.show_job(_job_key(lab_id, "jump"), _jumped, t("lab.running"))
    with right:
        at = ids.index(chosen)
        _step(lab_id, steps[at], steps[at + 1] if at + 1 < len(steps) else None)
