"""Progress: mastery per domain, quiz history, lab completion, notes read; export and import."""

import streamlit as st

from labs import api as labs_api
from progress.record import ExportRejected
from quizzes.readiness import readiness
from ui.data import catalog
from ui.i18n import language, outline_title, t
from ui.session import record
from ui.views.progress_parts import history_charts, notes_read
from ui.views.question_export import question_export
from ui.views.quiz_common import choose_blueprint
from ui.views.quiz_history import exam_history
from ui.widgets.record_notice import damaged_record_notice

st.title(t("progress.title"))
rec = record()
damaged_record_notice(rec, key="progress_damaged_dismiss")
cat = catalog()
answers = rec.answers()

st.subheader(t("progress.mastery"))
bp = choose_blueprint(cat, "progress_bp")
titles = {d.id: outline_title(d) for d in bp.domains}
for d in readiness(bp, cat.bank.questions, answers):
    answered = t("home.answered", n=d.answered, of=d.available)
    st.progress(d.readiness, text=f"{titles[d.domain_id]}: {d.readiness:.0%} ({answered})")

st.subheader(t("progress.history"))
if answers:
    history_charts(answers)
else:
    st.caption(t("progress.no_answers"))
exam_history(cat, key="progress_exam_history")

st.subheader(t("progress.labs"))
for card in labs_api.list_labs(language()):
    st.progress(card["passed"] / card["steps"] if card["steps"] else 0.0,
                text=f"{card['id']} · {card['title']}: {card['passed']}/{card['steps']}")

st.subheader(t("progress.notes"))
notes_read(cat, rec.notes_read(), language())

st.subheader(t("progress.backup"))
st.download_button(t("progress.export"), rec.export_json(), file_name="dp100-progress.json",
                   mime="application/json", key="progress_export", icon=":material/download:")
upload = st.file_uploader(t("progress.import_file"), type=["json"], key="progress_import_file")
if upload is not None and st.button(t("progress.import"), key="progress_import", icon=":material/upload:"):
    try:
        count = rec.import_json(upload.getvalue().decode("utf-8", errors="replace"))
    except ExportRejected as exc:
        st.error(t("progress.import_failed", reason=t(f"progress.refused_{exc.reason}", **exc.fields)))
    else:
        # Draw the page again from the imported record; the message survives the rerun.
        st.session_state["progress_imported"] = count
        st.rerun()
if "progress_imported" in st.session_state:
    st.success(t("progress.imported", n=st.session_state.pop("progress_imported")))

st.subheader(t("progress.deck"))
question_export(cat.bank)
