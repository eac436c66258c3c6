"""Progress: the learner's record, with export and import as JSON."""

import streamlit as st

from ui.session import record

st.title("Progress")
rec = record()
answers = rec.answers()
correct = sum(1 for a in answers if a["correct"])
c1, c2 = st.columns(2)
c1.metric("Answers", len(answers))
c2.metric("Correct", f"{correct / len(answers):.0%}" if answers else "–")

st.subheader("Back up or move your record")
st.download_button("Export as JSON", rec.export_json(), file_name="dp100-progress.json",
                   mime="application/json", key="progress_export")
upload = st.file_uploader("Import a JSON export (replaces the current record)", type=["json"],
                          key="progress_import_file")
if upload is not None and st.button("Import", key="progress_import"):
    try:
        count = rec.import_json(upload.getvalue().decode("utf-8", errors="replace"))
    except ValueError as exc:
        st.error(str(exc))
    else:
        st.success(f"Imported {count} rows.")
