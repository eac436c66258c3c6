"""Study: the exam outline as a tree, the notes, search, and links to practise each skill."""

import streamlit as st

from ui.data import catalog, show_problems
from ui.i18n import LANGUAGES, language, set_language, t
from ui.views.quiz_common import choose_blueprint
from ui.views.study_tree import note_reader, outline_tree, relabel_outline_boxes, search_box

st.title(t("study.title"))
cat = catalog()
show_problems(cat)
lang = st.segmented_control(t("study.language"), list(LANGUAGES), format_func=LANGUAGES.get, default=language(),
                            required=True, key="study_lang")
if lang != language():
    set_language(lang)
    relabel_outline_boxes()
    st.rerun()
left, right = st.columns([2, 3])
with left:
    search_box(cat)
    outline_tree(cat, choose_blueprint(cat, "study_bp"))
with right:
    note_reader(cat)
