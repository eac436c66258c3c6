"""Quiz: practice, exam and review modes over the question bank."""

import streamlit as st

from ui.data import catalog, show_problems
from ui.i18n import t
from ui.views import quiz_exam, quiz_practice, quiz_review
from ui.views.quiz_mode import first_mode, keep_last_mode, remember_mode

MODES = {"practice": quiz_practice.render, "exam": quiz_exam.render, "review": quiz_review.render}

st.title(t("quiz.title"))
cat = catalog()
show_problems(cat)
mode = st.segmented_control(t("quiz.mode"), list(MODES), format_func=lambda m: t(f"quiz.mode_{m}"),
                            default=first_mode(), required=True, key="quiz_mode",
                            on_change=remember_mode, args=("quiz_mode",))
keep_last_mode(mode)
MODES[mode](cat)
