"""Home: what to do next, and an estimated readiness per exam domain."""

import streamlit as st

from dp100 import paths
from quizzes.readiness import PRIOR_MISSES, overall, readiness, weakest
from quizzes.review import FORECAST_DAYS, forecast
from ui.data import catalog, show_problems
from ui.i18n import outline_title, t
from ui.session import record
from ui.views.home_next import next_lab_step, open_lab, study_domain
from ui.widgets.exam_status import exam_status_box
from ui.widgets.record_notice import damaged_record_notice

st.title(t("home.title"))
st.write(t("home.intro"))
cat = catalog()
show_problems(cat)
rec = record()
damaged_record_notice(rec, key="home_damaged_dismiss")
current = cat.blueprints.study_default()  # the current exam's outline, else the newest (retired ones are studied too)
exam_status_box(cat.blueprints, current, key="home_exam_status")

st.subheader(t("home.next"))
due = forecast(rec, set(cat.bank.questions))  # Review's own queue and forecast: the two always agree
c1, c2, c3 = st.columns(3)
with c1.container(border=True):
    st.metric(t("home.due"), due.due_now)
    st.caption(t("home.due_coming", n=due.coming, days=FORECAST_DAYS))
    st.page_link("ui/pages/quiz_page.py", label=t("home.review_now"), icon=":material/replay:",
                 query_params={"mode": "review"})
with c2.container(border=True):
    step = next_lab_step()
    if step:
        st.write(t("home.next_step", lab=step.lab_title, step=step.step_title))
        if st.button(t("home.open_step"), key="home_open_step", icon=":material/science:", type="tertiary"):
            open_lab(step.lab_id, step.step_id)
    else:
        st.write(t("home.labs_done"))
        st.page_link("ui/pages/labs_page.py", label=t("home.open_labs"), icon=":material/science:")
answers = rec.answers()
if current:
    domains = readiness(current, cat.bank.questions, answers)
    weak = weakest(domains)
    titles = {d.id: outline_title(d) for d in current.domains}
    with c3.container(border=True):
        st.write(t("home.weakest", domain=titles[weak.domain_id]))
        if st.button(t("home.study"), key="home_study_weakest", icon=":material/menu_book:", type="tertiary"):
            study_domain(current.id, weak.domain_id)
    st.subheader(t("home.readiness", outline=outline_title(current)))
    for d in domains:
        answered = t("home.answered", n=d.answered, of=d.available)
        st.progress(d.readiness, text=f"{titles[d.domain_id]}: {d.readiness:.0%} ({answered})")
    others = [b for b in cat.blueprints.ordered() if b.id != current.id]
    if others:  # a learner may study another outline than the current one: its readiness in one line each
        parts = [f"{outline_title(b)}: {overall(b, readiness(b, cat.bank.questions, answers)):.0%}" for b in others]
        st.caption(t("home.other_outlines", outlines=" · ".join(parts)))
    st.caption(t("home.readiness_how", k=PRIOR_MISSES))
st.caption(t("home.data_at", path=paths.home()))
