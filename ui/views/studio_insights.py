"""The Studio's Application Insights panel of a v1 web service: requests, failures and latency over time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sim import studio_insights
from ui.i18n import t

# The per-minute table's headers in the learner's language; the recent requests keep Application Insights' own
# column names (timestamp, resultCode, duration...), as its Logs view shows them.
MINUTE_COLUMNS = {"time": "studio.insights_minute", "requests": "studio.insights_requests",
                  "failed": "studio.insights_failed", "average_ms": "studio.insights_average_ms",
                  "p95_ms": "studio.insights_percentile_ms"}


def app_insights(ws, name: str) -> None:
    """The panel under a v1 service: how to turn it on when it is off, and what it recorded."""
    view = studio_insights.service_insights(ws._record, name)
    st.markdown(f"**{t('studio.insights_title')}**")
    if not view["available"]:
        st.caption(t("studio.insights_local"))
        return
    if not view["enabled"]:
        st.info(t("studio.insights_off"))
    if not view["totals"]["requests"]:
        if view["enabled"]:
            st.caption(t("studio.insights_none"))
        return
    _totals(view["totals"])
    _charts(view["per_minute"])
    st.dataframe(pd.DataFrame(view["per_minute"]).rename(columns={k: t(v) for k, v in MINUTE_COLUMNS.items()}),
                 hide_index=True)
    st.markdown(f"*{t('studio.insights_recent')}*")
    st.dataframe(pd.DataFrame(view["recent"]), hide_index=True)


def _totals(totals: dict) -> None:
    count, failed, average = st.columns(3)
    count.metric(t("studio.insights_requests"), totals["requests"])
    failed.metric(t("studio.insights_failed"), totals["failed"])
    average.metric(t("studio.insights_average_ms"), totals["average_ms"])


def _charts(per_minute: list[dict]) -> None:
    """Requests and failures per minute, and the latency per minute (UTC minutes on the x axis)."""
    frame = pd.DataFrame(per_minute).set_index("time")
    counts = frame[["requests", "failed"]].rename(columns={"requests": t("studio.insights_requests"),
                                                           "failed": t("studio.insights_failed")})
    latency = frame[["average_ms", "p95_ms"]].rename(columns={"average_ms": t("studio.insights_average_ms"),
                                                              "p95_ms": t("studio.insights_percentile_ms")})
    left, right = st.columns(2)
    left.bar_chart(counts, stack=False, height=220)
    right.bar_chart(latency, stack=False, height=220)  # bars, not a line: one minute of requests still shows
