"""The Studio page's asset tabs: environments, models and endpoints (SDK v1 and v2 side by side)."""

from __future__ import annotations

import streamlit as st

from sim import studio
from ui.i18n import t
from ui.views.studio_insights import app_insights
from ui.views.studio_tabs import sdk_error, show_table

# A first request body in each kind's own format: a v1 scoring script reads "data"; a managed endpoint serving an
# MLflow model without a script reads the split-oriented "input_data" (here one patient of the labs' data).
DEFAULT_REQUEST = {
    "service": '{"data": [[0, 1, 2, 3, 4, 5, 6, 7]]}',
    "online": '{"input_data": {"columns": ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", '
              '"TricepsThickness", "SerumInsulin", "BMI", "DiabetesPedigree", "Age"], "index": [0], '
              '"data": [[9, 104, 51, 7, 24, 27.37, 1.35, 43]]}}',
}


def _request_key(row: dict) -> str:
    return "studio_request_online" if row.get("kind") == "online" else "studio_request"


def environments_tab(ws) -> None:
    rows = studio.environment_rows(ws)
    show_table(rows, "studio.empty")
    if not rows:
        return
    name = st.selectbox(t("studio.environment"), [r["name"] for r in rows], key="studio_environment")
    # One version picker per environment: another environment opens on its newest version, not on the number
    # picked before (curated version numbers overlap every custom environment's).
    version = st.selectbox(t("studio.version"), studio.environment_versions(ws, name),
                           key=f"studio_environment_version_{name}")
    detail = studio.environment_detail(ws, name, version)
    st.markdown(f"**{t('studio.col_image')}:** `{detail['image']}`")
    if detail["description"]:
        st.caption(detail["description"])
    if detail["conda_file"]:
        st.markdown(f"**{t('studio.conda_file')}**")
        st.code(detail["conda_file"], language="yaml")
    if detail["tags"]:
        st.json(detail["tags"], expanded=False)


def models_tab(ws) -> None:
    show_table(studio.model_rows(ws), "studio.no_models")


def _send(ws, row: dict) -> None:
    """The Send button: call the endpoint and keep its answer (or the error) for the page to show."""
    state = st.session_state
    try:
        if row.get("kind") == "online":
            answered_by, text = studio.score_online(ws, row["name"], state[_request_key(row)],
                                                    state.get("studio_deployment") or None)
        else:
            answered_by, text = None, studio.score(ws, row["name"], state["studio_request"])
        answer = {"ok": True, "text": text, "by": answered_by}
    except Exception as exc:  # noqa: BLE001 - a bad request or an unhealthy service, shown as the service says
        answer = {"ok": False, "text": sdk_error(exc)}
    state["studio_answer"] = {"endpoint": row["name"], **answer}


def _answer(name: str) -> None:
    answer = st.session_state.get("studio_answer")
    if not answer or answer["endpoint"] != name:  # the last answer stays until the next request
        return
    if not answer["ok"]:
        st.error(answer["text"])
        return
    if answer.get("by"):
        st.caption(t("studio.answered_by", name=answer["by"]))
    st.code(answer["text"], language="json")


def _deployments(ws, name: str) -> list[str]:
    """A managed endpoint's deployments, a failed one's reason, and the deployment to test (or the split)."""
    st.markdown(f"**{t('studio.deployments')}**")
    rows = studio.deployment_rows(ws, name)
    show_table([{k: v for k, v in r.items() if k != "error"} for r in rows], "studio.no_deployments")
    for row in rows:
        if row["error"]:
            st.error(t("studio.deployment_failed", name=row["name"], error=row["error"]))
    names = [r["name"] for r in rows]
    st.selectbox(t("studio.deployment"), ["", *names], key="studio_deployment",
                 format_func=lambda d: d or t("studio.by_traffic"))
    return names


def endpoints_tab(ws) -> None:
    rows = studio.endpoint_rows(ws)
    show_table(rows and [{k: v for k, v in r.items() if k != "kind"} for r in rows], "studio.no_endpoints")
    if not rows:
        return
    by_name = {r["name"]: r for r in rows}
    name = st.selectbox(t("studio.endpoint"), list(by_name), key="studio_endpoint")
    online = by_name[name].get("kind") == "online"
    names = _deployments(ws, name) if online else []
    kind = "online" if online else "service"
    st.text_area(t("studio.request"), DEFAULT_REQUEST[kind], key=_request_key(by_name[name]))
    st.button(t("studio.send"), key="studio_send", on_click=_send, args=(ws, by_name[name]))
    _answer(name)
    with st.expander(t("studio.logs")):
        if online:
            shown = st.session_state.get("studio_deployment") or (names[0] if names else None)
            st.code(studio.deployment_logs(ws, name, shown) if shown else "", language=None)
        else:
            st.code(studio.endpoint_logs(ws, name), language=None)
    if not online:  # a v1 web service's requests, when it has Application Insights
        app_insights(ws, name)
