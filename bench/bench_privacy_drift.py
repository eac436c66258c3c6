"""Benchmark of notebook 13's private releases and notebook 17's drift comparison; prints the figures.

    .venv/bin/python bench/bench_privacy_drift.py [--repeats 5]

Differential privacy: one `sn.dp_mean` analysis released over the 10,000-row lab data set (the read, the clamp and
resize, and OpenDP's Laplace measurement), and one `PrivateReader` query `AVG(Age) ... GROUP BY Diabetic`.
Data drift: `drift.compare` of the 10,000-row baseline with one week of 1,500 target rows over the 8 features (the
classifier's cross-validated drift coefficient and the distances), which a six-week backfill does six times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _timed(action, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def _report(label: str, times: list[float]) -> None:
    print(f"{label:<52} median {statistics.median(times) * 1000:8.1f} ms   min {min(times) * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    import sim.smartnoise.core as sn
    from labs import data
    from sim.cloud.datadrift import drift
    from sim.smartnoise.metadata import CollectionMetadata, Column, Table
    from sim.smartnoise.sql import PandasReader, PrivateReader

    folder = Path(tempfile.mkdtemp(prefix="bench-dp-"))
    path, frame = data.write_csv(folder), data.frame()

    def private_mean():
        with sn.Analysis() as analysis:
            dataset = sn.Dataset(path=str(path), column_names=list(frame.columns))
            sn.dp_mean(sn.to_float(dataset["Age"]), privacy_usage={"epsilon": 0.5}, data_lower=0.0,
                       data_upper=120.0, data_rows=len(frame))
        analysis.release()

    meta = CollectionMetadata([Table("diabetes", "diabetes", [Column("PatientID", "int", private_id=True),
                                                              Column("Age", "int", 0, 120),
                                                              Column("Diabetic", "boolean")], rowcount=len(frame))])
    reader = PrivateReader(PandasReader(frame, meta), meta, 0.7)
    query = "SELECT Diabetic, AVG(Age) AS AvgAge FROM diabetes.diabetes GROUP BY Diabetic"
    _report("dp_mean release (10,000 rows, from the CSV file)", _timed(private_mean, repeats))
    _report("PrivateReader AVG(Age) GROUP BY Diabetic", _timed(lambda: reader.execute(query), repeats))
    week = frame.sample(n=1500, random_state=1).assign(BMI=lambda f: f.BMI * 1.3)
    _report("drift.compare 10,000 vs 1,500 rows, 8 features",
            _timed(lambda: drift.compare(frame, week, data.FEATURES), repeats))


if __name__ == "__main__":
    main()
