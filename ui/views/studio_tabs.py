"""The Studio page's tabs: each draws one kind of workspace asset from `sim.studio` views.

Compute, data and experiments live here; environments, models and endpoints in `ui.views.studio_assets`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sim import studio
from ui.i18n import t
from ui.views.studio_drift import dataset_monitors

# Column headers in the learner's language (the rows keep the SDK's own field names as keys).
COLUMNS = {
    "name": "studio.col_name", "type": "studio.col_type", "vm_size": "studio.vm_size", "state": "studio.col_state",
    "nodes": "studio.col_nodes", "max_nodes": "studio.max_nodes", "priority": "studio.priority",
    "default": "studio.col_default", "version": "studio.version", "description": "studio.col_description",
    "tags": "studio.col_tags", "properties": "studio.col_properties", "curated": "studio.col_curated",
    "runs": "studio.col_runs", "number": "studio.col_number", "id": "studio.col_id", "status": "studio.status",
    "target": "studio.col_target", "started": "studio.col_started", "duration": "studio.col_duration",
    "framework": "studio.col_framework", "run": "studio.run", "scoring_uri": "studio.col_scoring_uri",
    "auth": "studio.col_auth", "arguments": "studio.col_arguments", "display_name": "studio.col_display_name",
    "value": "studio.col_value", "uri": "studio.col_uri", "files": "studio.col_files", "image": "studio.col_image",
    "flavors": "studio.col_flavors", "job": "studio.col_job", "traffic": "studio.col_traffic",
    "model": "studio.col_model", "instance_type": "studio.col_instance_type",
    "instance_count": "studio.col_instance_count", "node": "studio.col_node", "compute": "studio.job_compute",
    "reused_from": "studio.col_reused_from", "hyperparameters": "studio.col_hyperparameters",
}
PRIORITIES = {"dedicated": "studio.priority_dedicated", "lowpriority": "studio.priority_low"}
ACTIONS = {"start": "studio.start", "stop": "studio.stop", "restart": "studio.restart"}  # sim.studio.INSTANCE_ACTIONS


def headers(rows: list[dict]) -> pd.DataFrame:
    """The rows as a table whose column headers are in the learner's language."""
    frame = pd.DataFrame(rows)
    return frame.rename(columns={c: t(COLUMNS[c]) for c in frame.columns if c in COLUMNS})


def show_table(rows: list[dict], empty_key: str) -> None:
    """The rows as a table with translated headers, or the `empty_key` sentence when there are none."""
    if rows:
        st.dataframe(headers(rows), hide_index=True, width="stretch")
    else:
        st.caption(t(empty_key))


def sdk_error(exc: Exception) -> str:
    """An SDK exception as the learner should read it: its class and its own sentence."""
    return f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"


def compute_tab(ws) -> None:
    # The form creates the compute in its submit callback, before this run draws the table, so a new
    # cluster or instance is listed right away (as in the studio) instead of on the next click.
    outcome = st.session_state.pop("studio_compute_outcome", None)
    rows = studio.compute_rows(ws)
    show_table(rows, "studio.no_compute")
    if outcome:
        (st.success if outcome[0] == "ok" else st.error)(outcome[1])
    if rows:
        _manage_compute(ws, rows)
    sizes = dict(studio.vm_sizes(ws))
    kind = st.radio(t("studio.compute_kind"), ["cluster", "instance"], horizontal=True, key="studio_compute_kind",
                    format_func=lambda k: t(f"studio.kind_{k}"))
    with st.form("studio_compute_form"):
        st.text_input(t("studio.compute_name"), key="studio_compute_name")
        st.selectbox(t("studio.vm_size"), list(sizes), format_func=sizes.get, key="studio_vm_size")
        if kind == "cluster":
            c1, c2, c3 = st.columns(3)
            c1.number_input(t("studio.min_nodes"), 0, 100, 0, key="studio_min_nodes")
            c2.number_input(t("studio.max_nodes"), 1, 100, 2, key="studio_max_nodes")
            c3.number_input(t("studio.idle"), 0, 86400, 1800, key="studio_idle")
            st.radio(t("studio.priority"), list(PRIORITIES), horizontal=True, key="studio_priority",
                     format_func=lambda p: t(PRIORITIES[p]))
        st.form_submit_button(t("studio.create"), on_click=_create_compute, args=(ws, kind))


def _manage_compute(ws, rows: list[dict]) -> None:
    """Start, stop or restart an instance, or delete any compute (after a confirmation), as the studio offers."""
    types = {r["name"]: r["type"] for r in rows}
    name = st.selectbox(t("studio.manage"), list(types), key="studio_compute_pick")
    is_instance = types[name] == "ComputeInstance"
    cols = st.columns(len(ACTIONS) + 1)
    for col, (action, label) in zip(cols, ACTIONS.items(), strict=False):
        col.button(t(label), key=f"studio_compute_{action}", disabled=not is_instance,
                   help=None if is_instance else t("studio.instance_only"), on_click=_instance_action,
                   args=(ws, name, action))
    if cols[-1].button(t("studio.delete"), key="studio_compute_delete"):
        st.session_state["studio_delete_open"] = name
    if st.session_state.get("studio_delete_open") == name:
        st.dialog(t("studio.delete"), on_dismiss=_close_delete)(_confirm_delete)(ws, name)


def _instance_action(ws, name: str, action: str) -> None:
    try:
        outcome = ("ok", t("studio.action_done", name=name, state=studio.instance_action(ws, name, action)))
    except Exception as exc:  # noqa: BLE001 - e.g. stopping a stopped instance: the SDK's own sentence
        outcome = ("error", sdk_error(exc))
    st.session_state["studio_compute_outcome"] = outcome


def _close_delete() -> None:
    st.session_state.pop("studio_delete_open", None)


def _confirm_delete(ws, name: str) -> None:
    """Deleting cannot be undone (a learner's lab may need the compute), so it is asked once more."""
    st.write(t("studio.delete_warning", name=name))
    if st.button(t("studio.delete_confirm", name=name), key="studio_delete_yes", type="primary"):
        studio.delete_compute(ws, name)
        _close_delete()
        st.session_state["studio_compute_outcome"] = ("ok", t("studio.deleted", name=name))
        st.rerun()


def _create_compute(ws, kind: str) -> None:
    """The form's submit: create through the SDK facade and keep the outcome for the run that follows."""
    state = st.session_state
    try:
        if kind == "cluster":
            target = studio.create_cluster(ws, state["studio_compute_name"], state["studio_vm_size"],
                                           int(state["studio_min_nodes"]), int(state["studio_max_nodes"]),
                                           int(state["studio_idle"]), state["studio_priority"])
        else:
            target = studio.create_instance(ws, state["studio_compute_name"], state["studio_vm_size"])
        outcome = ("ok", t("studio.created", name=target.name, state=target.provisioning_state))
    except Exception as exc:  # noqa: BLE001 - every SDK error is shown to the learner
        outcome = ("error", sdk_error(exc))
    state["studio_compute_outcome"] = outcome


def data_tab(ws) -> None:
    st.markdown(f"**{t('studio.datastores')}**")
    show_table(studio.datastore_rows(ws), "studio.empty")
    st.markdown(f"**{t('studio.datasets')}**")
    rows = studio.dataset_rows(ws)
    show_table(rows, "studio.no_datasets")
    if rows:
        name = st.selectbox(t("studio.dataset"), [r["name"] for r in rows], key="studio_dataset")
        version = st.selectbox(t("studio.version"), studio.dataset_versions(ws, name), key="studio_dataset_version")
        preview = studio.dataset_preview(ws, name, version)
        st.dataframe(preview, width="stretch") if isinstance(preview, pd.DataFrame) else st.write(preview)
    dataset_monitors(ws)  # the Dataset monitors tab of Studio's Data page


def _job_overview(job: dict) -> None:
    """An SDK v2 command job's overview, as the studio's job page opens: what ran, where, on what, into what."""
    st.markdown(f"**{t('studio.job_type')}:** {job['type']} · **{t('studio.col_display_name')}:** "
                f"{job['display_name']}")
    st.markdown(f"**{t('studio.job_compute')}:** {job['compute']} · **{t('studio.job_environment')}:** "
                f"{job['environment']}")
    st.markdown(f"**{t('studio.job_command')}**")
    st.code(job["command"], language="bash")
    for key, rows in (("studio.job_inputs", job["inputs"]), ("studio.job_outputs", job["outputs"])):
        st.markdown(f"**{t(key)}**")
        show_table(rows, "studio.empty")
    if job["params"]:
        st.markdown(f"**{t('studio.job_params')}**")
        st.dataframe(pd.DataFrame([job["params"]]), hide_index=True)


def _pipeline_overview(pipeline: dict) -> None:
    """A pipeline job's graph as a table: its nodes in the order they run, each child job and its status
    (a reused node names the job whose outputs it took), then where the pipeline's outputs are."""
    st.markdown(f"**{t('studio.job_type')}:** {pipeline['type']} · **{t('studio.col_display_name')}:** "
                f"{pipeline['display_name']}")
    st.markdown(f"**{t('studio.pipeline_nodes')}**")
    show_table(pipeline["nodes"], "studio.empty")
    st.markdown(f"**{t('studio.job_outputs')}**")
    show_table(pipeline["outputs"], "studio.empty")


def _run_page(ws, experiment: str, run_id: str) -> None:
    view = studio.run_view(ws, experiment, run_id)
    st.markdown(f"**{t('studio.status')}:** {view['status']}")
    if view["job"]:
        _job_overview(view["job"])
    if view.get("pipeline"):
        _pipeline_overview(view["pipeline"])
    if view["scalars"]:
        if view["job"]:  # after the overview's tables the metrics need their own heading
            st.markdown(f"**{t('studio.metrics')}**")
        st.dataframe(pd.DataFrame([view["scalars"]]), hide_index=True)
    for name, values in view["series"].items():
        numbers = [v for v in values if isinstance(v, (int, float))]
        if numbers:
            st.markdown(f"*{name}*")  # a one-series chart has no legend: name it
            st.line_chart(pd.DataFrame({name: numbers}), height=200)
    for name, table in view["tables"].items():
        st.markdown(f"*{name}*")
        st.dataframe(pd.DataFrame(table), hide_index=True)
    for name, data in view["images"].items():
        st.image(data, caption=name)
    _responsible_ai(view)
    if view["children"]:
        with st.expander(t("studio.children", n=len(view["children"])), expanded=True):
            st.dataframe(headers(view["children"]), hide_index=True, width="stretch")
    with st.expander(t("studio.details")):
        st.json({"tags": view["tags"], "properties": view["properties"], **view["details"]})
    with st.expander(t("studio.files", n=len(view["files"]))):
        st.write(view["files"])
    for name, text in view["logs"].items():
        with st.expander(name):
            st.code(text or "", language=None)


def _responsible_ai(view: dict) -> None:
    """The run's explanations (global importance as a bar chart) and fairness dashboards (metrics by group)."""
    for item in view.get("explanations", []):
        st.markdown(f"**{t('studio.explanation', comment=item['comment'] or item['id'])}**")
        importance = pd.DataFrame({"importance": list(item["importance"].values())},
                                  index=list(item["importance"]))
        st.bar_chart(importance, horizontal=True, sort=False, height=40 + 28 * len(importance))
    for item in view.get("fairness", []):
        st.markdown(f"**{t('studio.fairness_dashboard', name=item['name'])}**")
        st.dataframe(pd.DataFrame(item["rows"]), hide_index=True)
    for board in view.get("rai_insights", []):
        _rai_dashboard(board)


def _rai_dashboard(board: dict) -> None:
    """A gathered Responsible AI dashboard as tables: error analysis, feature importance, counterfactuals."""
    heading = t("studio.rai_dashboard", title=board["title"], task=board["task_type"], target=board["target"],
                model=board["model"] or "-", rows=board["test_rows"])
    st.markdown(f"**{heading}**")
    st.caption(t("studio.rai_note"))
    if board["error_rate"] is not None:
        st.markdown(t("studio.rai_error_rate", rate=f"{board['error_rate']:.2%}"))
        st.markdown(f"*{t('studio.rai_error_tree')}*")
        st.dataframe(pd.DataFrame(board["error_tree"]), hide_index=True)
    if board["error_heat_map"]:
        st.markdown(f"*{t('studio.rai_heat_map')}*")
        st.dataframe(pd.DataFrame(board["error_heat_map"]), hide_index=True)
    if board["importance"]:
        st.markdown(f"*{t('studio.rai_importance', comment=board['importance_comment'] or '-')}*")
        importance = pd.DataFrame(board["importance"]).set_index("feature")
        st.bar_chart(importance[["importance"]], horizontal=True, sort=False, height=40 + 28 * len(importance))
    if board["counterfactuals"]:
        st.markdown(f"*{t('studio.rai_counterfactuals')}*")
        rows = [{**{k: v for k, v in cf.items() if k != "changed"}, **cf["changed"]}
                for cf in board["counterfactuals"]]  # one column per feature a counterfactual changes
        st.dataframe(pd.DataFrame(rows), hide_index=True)


def experiments_tab(ws) -> None:
    rows = studio.experiment_rows(ws)
    show_table(rows, "studio.no_experiments")
    if not rows:
        return
    experiment = st.selectbox(t("studio.experiment"), [r["name"] for r in rows], key="studio_experiment")
    # The page that holds the open run (a studio link's or the picker's), else the page the learner turned to.
    listed = studio.run_page(ws, experiment, _run_page_number(experiment), holding=st.session_state.get("studio_run"))
    runs = listed["rows"]
    show_table(runs, "studio.empty")
    _run_pager(experiment, listed)
    if runs:
        labels = {r["id"]: _run_label(r) for r in runs}
        run_id = st.selectbox(t("studio.run"), list(labels), format_func=labels.get, key="studio_run")
        _run_page(ws, experiment, run_id)


def _run_page_number(experiment: str) -> int:
    """The page of the run list the learner is on (page 1 again when another experiment is chosen)."""
    kept = st.session_state.get("studio_run_page") or {}
    return kept.get("page", 1) if kept.get("experiment") == experiment else 1


def _turn_run_page(experiment: str, page: int) -> None:
    st.session_state["studio_run_page"] = {"experiment": experiment, "page": page}
    st.session_state.pop("studio_run", None)  # the open run was on the page left behind


def _run_pager(experiment: str, listed: dict) -> None:
    """Previous and next under a run list longer than a page, with where the learner is: 'Page 2 of 200'."""
    if listed["pages"] <= 1:
        return
    back, where, forward = st.columns([1, 3, 1], vertical_alignment="center")
    back.button(t("studio.runs_previous"), key="studio_runs_previous", disabled=listed["page"] <= 1,
                on_click=_turn_run_page, args=(experiment, listed["page"] - 1), width="stretch")
    where.caption(t("studio.runs_page", page=listed["page"], pages=listed["pages"], total=listed["total"]))
    forward.button(t("studio.runs_next"), key="studio_runs_next", disabled=listed["page"] >= listed["pages"],
                   on_click=_turn_run_page, args=(experiment, listed["page"] + 1), width="stretch")


def _run_label(row: dict) -> str:
    """'Run 3 · Completed', with the display name when it says more than the id (a v2 job's name is random)."""
    named = f" · {row['display_name']}" if row["display_name"] and row["display_name"] != row["id"] else ""
    return f"{t('studio.run')} {row['number']}{named} · {row['status']}"
