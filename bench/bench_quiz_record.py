"""What the Quiz and Home pages read from the learner's record on every rerun, as the record grows.

Practice counts the learner's misses and bookmarks in the chosen outline, Review builds its queue and the
7-day forecast, and Home shows the same count. Each rerun (every click) pays for these, so they must stay
small next to the 500 ms answer-to-feedback budget. Prints the median of several runs per record size.

    .venv/bin/python bench/bench_quiz_record.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = (1_000, 10_000)  # quiz answers in the record


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _filled_record(answers: int, ids: list[str]):
    """A fresh record holding `answers` answers (60% right) to the bank's questions, and 50 bookmarks."""
    from progress import Record, db

    rec = Record(f"sqlite:///{tempfile.mkdtemp(prefix='bench-quiz-')}/progress.db")
    rng, now = random.Random(7), datetime.now(UTC)
    rows = []
    for _ in range(answers):
        right = rng.random() < 0.6
        rows.append({"question_id": rng.choice(ids), "given_answer": "A", "correct": right,
                     "score": float(right), "seconds": 10.0, "mode": "practice", "answered_at": now})
    with rec.engine.begin() as conn:  # one transaction: filling is not what is measured
        conn.execute(db.quiz_answers.insert(), rows)
    for qid in ids[:50]:
        rec.set_bookmark(qid)
    return rec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("DP100_HOME", tempfile.mkdtemp(prefix="bench-quiz-home-"))
    from quizzes.bank import load_bank
    from quizzes.blueprint import load_blueprints
    bank, outlines = load_bank(), load_blueprints()
    outline = outlines.blueprints["dp-100-2025"]
    ids = sorted(bank.questions)
    print(f"{len(ids)} questions; median of {args.runs} runs")
    for size in SIZES:
        counts, ahead = _measure(_filled_record(size, ids), bank, outline, set(ids), args.runs)
        print(f"{size:>7,} answers: practice's misses+bookmarks counts {counts:6.1f} ms · "
              f"review queue + 7-day forecast (Home's count) {ahead:6.1f} ms")


def _measure(rec, bank, outline, known: set[str], runs: int) -> tuple[float, float]:
    """Milliseconds of Practice's two source counts, and of Review's queue with the forecast."""
    from quizzes.readiness import latest_misses, select_practice
    from quizzes.review import forecast

    def source_counts():
        pools = (latest_misses(rec.latest_scores()), set(rec.bookmarks()))
        return [len(select_practice(bank.questions, outline, among=pool)) for pool in pools]

    return _median_ms(source_counts, runs), _median_ms(lambda: forecast(rec, known), runs)

if __name__ == "__main__":
    main()
