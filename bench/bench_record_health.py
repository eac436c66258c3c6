"""What checking the learner's record costs: `PRAGMA quick_check` when a process first opens progress.db, and
setting a damaged one aside with its readable rows exported (progress.repair).

The check runs once per process (the app, each dp100 command), so it must stay small next to the app's start.
Prints the median of several runs for records of growing size.

    .venv/bin/python bench/bench_record_health.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = (1_000, 10_000, 100_000)  # quiz answers in the record


def _record_with(answers: int, folder: Path) -> Path:
    """A progress.db under `folder` holding `answers` quiz answers."""
    import sqlalchemy as sa

    from progress import Record, db

    os.environ["DP100_HOME"] = str(folder)
    rec = Record()
    now = datetime.now(UTC)
    rows = [dict(question_id=f"q-{i % 500}", given_answer={"choice": i}, correct=i % 2 == 0, score=1.0,
                 seconds=3.0, mode="practice", answered_at=now) for i in range(answers)]
    with rec.engine.begin() as conn:
        conn.execute(sa.insert(db.quiz_answers), rows)
    db.forget_engines()
    return folder / "progress.db"


def _median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from progress import db, repair

    for answers in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            path = _record_with(answers, Path(tmp))
            check = _median_ms(lambda p=path: repair.damage(p), args.runs)
            size_mb = path.stat().st_size / 1e6
            started = time.perf_counter()
            recovery = repair.set_aside(path, "benchmark", db.exported_tables())
            aside = (time.perf_counter() - started) * 1000
            print(f"{answers:>7} answers ({size_mb:5.1f} MB): quick_check {check:6.1f} ms; "
                  f"set aside + export {aside:7.0f} ms ({recovery.rows_saved} rows)")


if __name__ == "__main__":
    main()
