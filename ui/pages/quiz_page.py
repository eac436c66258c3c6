"""Quiz: practice, exam and review modes over the question bank."""

import streamlit as st

from ui.data import catalog, show_problems
from ui.i18n import t
from ui.views import quiz_exam, quiz_practice, quiz_review

MODES = {"practice": quiz_practice.render, "exam": quiz_exam.render, "review": quiz_review.render}

st.title(t("quiz.title"))
cat = catalog()
show_problems(cat)
default = st.query_params.get("mode", "practice")
mode = st.segmented_control(t("quiz.mode"), list(MODES), format_func=lambda m: t(f"quiz.mode_{m}"),
                            default=default if default in MODES else "practice", required=True, key="quiz_mode")
MODES[mode](cat)
