"""Study: the exam outline as a tree, the notes, search, and links to practise each skill.

Deep link to a note section (other pages link here this way): `study?note=<note id>&section=<anchor>`, e.g.
`st.page_link("ui/pages/study_page.py", query_params={"note": "workspace", "section": "datastores"})`
(`ui.views.study_reader.deep_link("workspace#datastores")` gives those parameters from a reference).
`section` may be left out to open the whole note. Anchors are the `{#anchor}` of the note's headings (the
`note-id#anchor` references of questions and labs). The section opens, scrolled into view, even when the
learner had another note open; see `ui.views.study_reader`.
"""

import streamlit as st

from ui.data import catalog, show_problems
from ui.i18n import LANGUAGES, language, set_language, t
from ui.views.quiz_common import choose_blueprint
from ui.views.study_reader import note_reader
from ui.views.study_tree import outline_tree, relabel_outline_boxes, search_box, start_here

st.title(t("study.title"))
cat = catalog()
show_problems(cat)
lang = st.segmented_control(t("study.language"), list(LANGUAGES), format_func=LANGUAGES.get, default=language(),
                            required=True, key="study_lang")
if lang != language():
    set_language(lang)
    relabel_outline_boxes()
    st.rerun()
start_here(cat)
left, right = st.columns([2, 3])
with left:
    search_box(cat)
    outline_tree(cat, choose_blueprint(cat, "study_bp"))
with right:
    note_reader(cat)
