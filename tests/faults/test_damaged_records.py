"""Probes: a damaged progress.db (random bytes in a data page, or an empty file) is detected when it is opened,
moved aside with its readable rows exported, and reported - never a raw DatabaseError; `dp100 doctor` checks
every database's integrity and says what to do."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dp100 import paths
from dp100.cli import main as dp100_main
from progress import Record, db, repair

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = 3000
PAGE = 4096


@pytest.fixture(autouse=True)
def fresh_engines():
    db.forget_engines()
    db.recoveries.clear()
    yield
    db.forget_engines()
    db.recoveries.clear()


def _filled_record(answers: int = ANSWERS) -> Path:
    rec = Record()
    for i in range(answers):
        rec.record_answer(f"q-{i % 40}", {"choice": i}, i % 3 == 0, mode="practice")
    rec.mark_note_read("workspace")
    db.forget_engines()
    path = paths.home() / "progress.db"
    with sqlite3.connect(path) as conn:  # fold the log into the file, so the damage hits real data pages
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _damage_a_data_page(path: Path) -> None:
    pages = path.stat().st_size // PAGE
    with open(path, "r+b") as fh:
        fh.seek(PAGE * (pages // 2))
        fh.write(os.urandom(PAGE))


def test_random_bytes_in_a_data_page_are_caught_on_open_and_the_readable_rows_exported():
    path = _filled_record()
    _damage_a_data_page(path)
    rec = Record()  # must not raise, nor leave a record that raises on the first read
    assert rec.answers() == [], "the damaged record was kept open instead of a fresh one"
    assert len(db.recoveries) == 1, "the damage was not detected on open"
    found = repair.notice(rec)
    assert found is not None and Path(found.moved_to).exists(), f"notice: {found}"
    assert ".damaged-" in found.moved_to and not Path(found.moved_to).samefile(path)
    doc = json.loads(Path(found.export_to).read_text())
    saved = len(doc["tables"]["quiz_answers"])
    assert ANSWERS * 0.9 <= saved < ANSWERS, f"{saved} of {ANSWERS} answers exported from one damaged page"
    assert doc["tables"]["notes_read"], "the undamaged table was not exported"
    assert rec.import_json(Path(found.export_to).read_text()) == found.rows_saved
    assert len(Record().answers()) == saved, "the export does not import back"


def test_an_empty_file_is_damaged_not_silently_a_new_record():
    path = paths.ensure_home() / "progress.db"
    path.write_bytes(b"")
    rec = Record()
    found = repair.notice(rec)
    assert found is not None and found.reason == "the file is empty", f"an empty progress.db gave notice {found}"
    assert Path(found.moved_to).exists() and found.rows_saved == 0


def test_a_sound_record_is_left_alone():
    _filled_record(50)
    rec = Record()
    assert repair.notice(rec) is None and db.recoveries == []
    assert len(rec.answers()) == 50


def test_the_cli_says_what_happened(capsys):
    _damage_a_data_page(_filled_record())
    code = dp100_main(["lab", "list"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Your progress record was damaged" in err and ".damaged-" in err, f"stderr: {err[-500:]}"


@pytest.mark.parametrize("page", ["home_page.py", "progress_page.py"])
def test_home_and_progress_show_a_warning_not_an_exception(page, _fast_manifest_scan):
    _damage_a_data_page(_filled_record(800))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()  # Home is the first page
    if page != "home_page.py":
        at.switch_page(f"ui/pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = [w.value for w in at.warning]
    assert any("progress record was damaged" in w and ".json" in w for w in warnings), warnings
    at.button(key=page.split("_")[0] + "_damaged_dismiss").click().run()
    assert not any("damaged" in w.value for w in at.warning), "the notice stayed after it was dismissed"


def _damaged_sqlite(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [(f"row {i}" * 20,) for i in range(2000)])
    _damage_a_data_page(path)


def test_doctor_runs_the_integrity_check_on_every_database_and_says_what_to_do(capsys):
    _filled_record(20)
    workspace = paths.home() / "cloud" / "subscriptions" / "s" / "resourceGroups" / "rg" / "workspaces" / "ws"
    _damaged_sqlite(workspace / "state.db")
    _damaged_sqlite(workspace / "mlflow-0.db")
    code = dp100_main(["doctor"])
    out = capsys.readouterr().out
    assert code == 1, "doctor exited 0 with damaged databases"
    assert "progress.db: ok" in out, out
    damaged = [line for line in out.splitlines() if "DAMAGED" in line]
    assert len(damaged) == 2, f"{len(damaged)} of 2 damaged databases reported:\n{out}"
    assert all("what to do:" in line and "create it again" in line for line in damaged), damaged
