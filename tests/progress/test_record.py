"""The learner's record: every table, migrations, bad databases, concurrent writers, export/import."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dp100.errors import SetupError
from progress import Record, db


def test_every_kind_of_row_round_trips():
    rec = Record()
    rec.mark_note_read("workspace", "associated-resources", "pt-BR")
    rec.record_answer("ws-001", ["B", "D"], False, score=0.5, seconds=12.5, mode="exam")
    rec.record_lab_step("01", "create-workspace", True, "ok", hints_used=2)
    rec.set_setting("language", "pt-BR")
    rec.report_problem("ws-001", " option C is ambiguous ")
    assert rec.notes_read() == {("workspace", "associated-resources")}
    [answer] = rec.answers()
    assert (answer["given_answer"], answer["score"], answer["mode"]) == (["B", "D"], 0.5, "exam")
    assert rec.lab_steps("01")["create-workspace"]["hints_used"] == 2
    assert rec.get_setting("language") == "pt-BR"
    assert rec.problem_reports()[0]["text"] == "option C is ambiguous"


def test_latest_lab_result_wins_and_reset_forgets():
    rec = Record()
    rec.record_lab_step("01", "s1", False, "no workspace yet")
    rec.record_lab_step("01", "s1", True, "")
    assert rec.lab_steps("01")["s1"]["passed"] is True
    rec.reset_lab("01")
    assert rec.lab_steps("01") == {}


def test_due_cards_come_most_overdue_first():
    rec = Record()
    now = datetime.now(UTC)
    rec.save_card("later", {"s": 1}, now + timedelta(days=3))
    rec.save_card("old", {"s": 2}, now - timedelta(days=2))
    rec.save_card("recent", {"s": 3}, now - timedelta(hours=1))
    assert rec.due_cards(now) == ["old", "recent"]
    assert rec.card("old") == {"s": 2}


def test_unknown_quiz_mode_is_refused():
    with pytest.raises(ValueError, match="Unknown quiz mode"):
        Record().record_answer("q", "A", True, mode="cram")


def test_schema_creation_is_idempotent_and_versioned(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    engine = db.engine_for(url)
    assert db.migrate(engine) == db.SCHEMA_VERSION
    assert db.migrate(engine) == db.SCHEMA_VERSION


def test_newer_schema_is_refused_without_touching_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    engine = db.engine_for(url)
    with engine.begin() as conn:
        conn.execute(db.meta.update().values(value=str(db.SCHEMA_VERSION + 5)))
    with pytest.raises(SetupError, match="newer version"):
        db.migrate(engine)


def test_a_file_that_is_not_sqlite_is_kept_aside_and_a_new_record_starts(dp100_home):
    # (it used to stop the app with an error; progress.repair now keeps the file and starts afresh)
    from progress import repair

    dp100_home.mkdir(parents=True)
    bad = dp100_home / "progress.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    rec = Record()
    found = repair.notice(rec)
    assert found is not None and "not a database" in found.reason
    assert Path(found.moved_to).read_bytes().startswith(b"this is not sqlite")
    assert rec.answers() == []


def test_unknown_database_url_is_named(monkeypatch):
    monkeypatch.setenv("DP100_DATABASE_URL", "nosuchdb://somewhere/x")
    with pytest.raises(SetupError, match="nosuchdb://somewhere/x"):
        Record()


def test_unwritable_home_names_the_path(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("DP100_HOME", str(blocker / "home"))
    with pytest.raises(SetupError, match="not writable"):
        Record()


WRITER = """
import sys
from progress import Record
rec = Record()
for i in range(int(sys.argv[2])):
    rec.record_answer(f"{sys.argv[1]}-{i}", i, i % 2 == 0, seconds=0.1)
    rec.set_setting(f"last-{sys.argv[1]}", i)
"""


def test_two_processes_writing_at_once_lose_nothing():
    Record()  # create the schema first, as the app does at start-up
    n = 150
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, name, str(n)]) for name in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    ids = [a["question_id"] for a in Record().answers()]
    assert len(ids) == 2 * n and len(set(ids)) == 2 * n
    assert Record().get_setting("last-a") == n - 1


def test_export_then_import_restores_everything():
    rec = Record()
    rec.record_answer("q1", {"gap1": "Workspace"}, True, seconds=4)
    rec.save_card("q1", {"stability": 2.5}, datetime.now(UTC))
    rec.mark_note_read("n1")
    exported = rec.export_json()
    rec.record_answer("q2", "A", False)
    assert rec.import_json(exported) == 3
    assert [a["question_id"] for a in rec.answers()] == ["q1"]
    assert rec.card("q1") == {"stability": 2.5}
    assert json.loads(exported)["format"] == "dp100-progress"


@pytest.mark.parametrize("text", ["not json", '{"format": "other"}', '{"format": "dp100-progress"}'])
def test_bad_import_changes_nothing(text):
    rec = Record()
    rec.record_answer("keep-me", "A", True)
    with pytest.raises(ValueError):
        rec.import_json(text)
    assert [a["question_id"] for a in rec.answers()] == ["keep-me"]


@pytest.mark.parametrize("tables", [
    {"quiz_answers": "not rows"},
    {"quiz_answers": [{"question_id": "q"}]},  # required columns missing
    {"notes_read": [{"note_id": "n", "section": "", "language": "en", "read_at": "yesterday"}]},
])
def test_malformed_export_is_refused_in_one_sentence_and_changes_nothing(tables):
    rec = Record()
    rec.record_answer("keep-me", "A", True)
    with pytest.raises(ValueError, match="export"):
        rec.import_json(json.dumps({"format": "dp100-progress", "schema": 1, "tables": tables}))
    assert [a["question_id"] for a in rec.answers()] == ["keep-me"]


def test_export_with_a_non_numeric_schema_is_refused():
    with pytest.raises(ValueError, match="schema"):
        Record().import_json('{"format": "dp100-progress", "schema": "2", "tables": {}}')
