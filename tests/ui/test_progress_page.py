"""Progress: history charts, notes read, and the export/import round trip through the page."""

from __future__ import annotations

import json

from progress import Record


def _progress(page_test):
    return page_test("progress_page.py").run()


def test_import_round_trip_redraws_the_page_from_the_imported_record(page_test):
    rec = Record()
    rec.record_answer("q-kept", "A", True)
    exported = rec.export_json()
    rec.record_answer("q-later", "B", False)
    at = _progress(page_test)
    assert any("2 answers" in c.value for c in at.caption)
    at.file_uploader(key="progress_import_file").set_value(("backup.json", exported.encode(), "application/json"))
    at.run()
    at.button(key="progress_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [a["question_id"] for a in Record().answers()] == ["q-kept"]
    assert at.success[0].value == "Imported 1 rows."
    assert any("1 answers" in c.value for c in at.caption)  # the charts above show the imported record


def test_a_malformed_export_is_refused_on_the_page_and_keeps_the_record(page_test):
    Record().record_answer("q-kept", "A", True)
    bad = json.dumps({"format": "dp100-progress", "tables": {"quiz_answers": [{"question_id": "q"}]}})
    at = _progress(page_test)
    at.file_uploader(key="progress_import_file").set_value(("bad.json", bad.encode(), "application/json"))
    at.run()
    at.button(key="progress_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error[0].value.startswith("Import failed:")
    assert [a["question_id"] for a in Record().answers()] == ["q-kept"]


def test_a_refused_import_is_explained_in_the_learners_language(page_test):
    Record().set_setting("language", "pt-BR")
    at = _progress(page_test)
    at.file_uploader(key="progress_import_file").set_value(("x.json", b'{"format": "other"}', "application/json"))
    at.run()
    at.button(key="progress_import").click().run()
    assert at.error[0].value == ("A importação falhou: O arquivo não é uma exportação de progresso do dp100; "
                                 "exporte uma na página Progresso.")


def test_every_refusal_reason_has_a_text_with_the_same_fields():
    import string

    from progress.record import REFUSALS
    from ui.i18n import texts

    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for reason, english in REFUSALS.items():
        entry = texts()[f"progress.refused_{reason}"]
        assert entry["en"] == english
        assert fields(entry["pt-BR"]) == fields(english), reason


def test_history_charts_are_drawn_for_a_single_day(page_test):
    rec = Record()
    rec.record_answer("q1", "A", True)
    rec.record_answer("q2", "A", False, mode="exam")
    at = _progress(page_test)
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 2


def test_notes_read_counts_sections_out_of_each_note(page_test):
    from curriculum.check import load_all

    note = load_all().notes.ordered("en")[0]
    anchors = [s.anchor for s in note.sections if s.anchor]
    Record().mark_note_read(note.id, anchors[0])
    at = _progress(page_test)
    bars = [p for p in at.get("progress") if p.proto.text.startswith(f"{note.title}:")]
    assert bars and bars[0].proto.text.endswith(f"1/{len(anchors)}")
    assert any("1 of" in c.value and "note sections read" in c.value for c in at.caption)


def test_the_question_bank_can_be_taken_away_in_each_format(page_test):
    from ui.data import catalog

    at = _progress(page_test)
    picker = at.selectbox(key="progress_deck_format")
    assert picker.options == [
        "Anki deck (.apkg): choice questions, with every option's rationale",
        "Moodle GIFT: choice, yes/no and matching questions", "JSON: every question with every field"]
    choice = sum(q.type in ("single", "multiple") for q in catalog().bank.questions.values())
    assert any(c.value.startswith(f"{choice} of the bank's") for c in at.caption)
    picker.set_value("JSON: every question with every field").run()
    assert any(c.value.startswith(f"{len(catalog().bank.questions)} of the bank's") for c in at.caption)
    assert at.get("download_button")[-1].proto.label == "Download"


def test_the_exam_history_is_on_the_progress_page_too(page_test):
    from datetime import UTC, datetime

    Record().record_exam("dp-100-2025", started_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
                         finished_at=datetime(2026, 12, 1, 10, tzinfo=UTC), questions=20, minutes=40, scaled=715,
                         passed=True, domains={})
    at = _progress(page_test)
    assert any(s.value == "Your exams so far" for s in at.subheader)
    row = at.dataframe[-1].value.iloc[0]
    assert (row["Finished"], row["Outline"], row["Scaled score"], row["Result"]) == \
        ("2026-12-01 10:00 UTC", "DP-100 2025", 715, "pass")
