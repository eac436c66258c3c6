"""Studio: a simulated Azure ML studio over the learner's workspaces."""

import streamlit as st

from sim import studio
from ui.i18n import t
from ui.views import studio_assets, studio_tabs, studio_target

st.title(t("studio.title"))
rows = studio.workspace_rows()
if not rows:
    st.info(t("studio.no_workspace"))
    st.stop()
studio_target.take_link(rows)  # a studio link from a lab's output: its workspace, tab and item
labels = {i: f"{r['name']} · {r['resource_group']} · {r['location']}" for i, r in enumerate(rows)}
top, refresh = st.columns([5, 1], vertical_alignment="bottom")
choice = top.selectbox(t("studio.workspace"), list(labels), index=studio_target.first_workspace(studio.newest(rows)),
                       format_func=labels.get, key="studio_ws")
# Compute and deployments change state on their own (Creating -> Succeeded); this reads them again.
refresh.button(t("studio.refresh"), key="studio_refresh", icon=":material/refresh:", width="stretch")
ws = studio.open_workspace(rows[choice])
studio_target.open_item(ws)
titles = [t("studio.tab_compute"), t("studio.tab_data"), t("studio.tab_environments"), t("studio.tab_experiments"),
          t("studio.tab_models"), t("studio.tab_endpoints")]
tabs = st.tabs(titles, default=studio_target.first_tab(titles))
views = [studio_tabs.compute_tab, studio_tabs.data_tab, studio_assets.environments_tab, studio_tabs.experiments_tab,
         studio_assets.models_tab, studio_assets.endpoints_tab]
for tab, view in zip(tabs, views, strict=True):
    with tab:
        view(ws)
