"""The Studio's Dataset monitors (under Data): each data drift monitor, its drift magnitude per period as a chart,
and the latest period's drift contribution and distances per feature."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sim import studio_drift
from ui.i18n import t

MONITOR_COLUMNS = {"name": "studio.col_name", "baseline": "studio.drift_baseline", "target": "studio.drift_target",
                   "compute": "studio.col_target", "frequency": "studio.drift_frequency",
                   "threshold": "studio.drift_threshold", "state": "studio.col_state",
                   "periods": "studio.drift_periods"}
FEATURE_COLUMNS = {"feature": "studio.drift_feature", "contribution": "studio.drift_contribution_col"}


def dataset_monitors(ws) -> None:
    """The monitors table, then the chosen monitor's charts."""
    st.markdown(f"**{t('studio.drift_monitors')}**")
    rows = studio_drift.monitor_rows(ws)
    if not rows:
        st.caption(t("studio.drift_no_monitors"))
        return
    st.dataframe(_translated(rows, MONITOR_COLUMNS), hide_index=True, width="stretch")
    name = st.selectbox(t("studio.drift_monitor"), [r["name"] for r in rows], key="studio_monitor")
    view = studio_drift.monitor_view(ws, name)
    if not view["magnitude"]:
        st.caption(t("studio.drift_no_results"))
        return
    _magnitude(view)
    st.markdown(f"**{t('studio.drift_contribution', period=view['latest'])}**")
    features = pd.DataFrame(view["features"]).set_index("feature")
    st.bar_chart(features["contribution"].rename(t("studio.drift_contribution_col")))
    st.dataframe(_translated(view["features"], FEATURE_COLUMNS), hide_index=True, width="stretch")


def _magnitude(view: dict) -> None:
    st.markdown(f"**{t('studio.drift_magnitude')}**")
    chart = pd.DataFrame(view["magnitude"]).set_index("period")["drift"].rename(t("studio.drift_percent"))
    st.bar_chart(chart)
    over = [m["period"] for m in view["magnitude"] if m["over"]]
    st.caption(t("studio.drift_over", threshold=f"{view['threshold']:.0f}", periods=", ".join(over) or "-"))


def _translated(rows: list[dict], columns: dict) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    return frame.rename(columns={c: t(key) for c, key in columns.items() if c in frame.columns})
