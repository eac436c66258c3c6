"""Benchmark: cold load + validation of all study content, and search latency.

Targets (issue 5): loading and validating the whole bank and notes under 1 s cold; a search over all
notes under 50 ms median. "Cold" means a fresh interpreter: imports (pydantic, yaml) included.

Besides the real content, a synthetic copy (the bank copied until it holds `--bank-target` questions,
the notes `--notes-scale` times, ids renamed) shows how the figures hold as the bank grows.

Usage:
    .venv/bin/python bench/bench_content.py [--repeat 7] [--bank-target 500] [--notes-scale 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    ("config.json", "en"), ("compute target", "en"), ("key vault secrets", "en"), ("datastor", "en"),
    ("log_table", "en"), ("registro de contêiner", "pt-BR"), ("experimento", "pt-BR"),
    ("GPU", None), ("from_config", None), ("workspace region edition", "en"),
]

_COLD = """
import json, sys, time
t0 = time.perf_counter()
from curriculum.check import load_all
t1, c1 = time.perf_counter(), time.process_time()
c = load_all({notes!r} and __import__('pathlib').Path({notes!r}), {bank!r} and __import__('pathlib').Path({bank!r}))
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({{"import": t1 - t0, "load": t2 - t1, "load_cpu": c2 - c1, "questions": len(c.bank.questions),
                  "notes": sum(len(v) for v in c.notes.notes.values()), "problems": len(c.problems)}}))
"""


def _spread(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"median {statistics.median(ms):8.2f} ms  min {min(ms):8.2f}  max {max(ms):8.2f}  (n={len(ms)})"


def cold_runs(repeat: int, notes: Path | None, bank: Path | None, warm_cache: bool) -> dict:
    """Run load_all in `repeat` fresh interpreters; wall time of the process and of import/load.

    With `warm_cache` every run shares one DP100_HOME whose YAML parse cache a first run filled;
    without it every run gets an empty DP100_HOME (a first start after install or after edits).
    """
    code = _COLD.format(notes=str(notes) if notes else None, bank=str(bank) if bank else None)
    walls, imports, loads, cpus, info = [], [], [], [], {}
    shared = tempfile.mkdtemp(prefix="dp100-bench-")
    if warm_cache:
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(shared), capture_output=True, check=True)
    for _ in range(repeat):
        home = shared if warm_cache else tempfile.mkdtemp(prefix="dp100-bench-")
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(home), capture_output=True,
                             text=True, check=True)
        walls.append(time.perf_counter() - start)
        info = json.loads(out.stdout.strip().splitlines()[-1])
        imports.append(info["import"])
        loads.append(info["load"])
        cpus.append(info["load_cpu"])
        if not warm_cache:
            shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(shared, ignore_errors=True)
    return {"wall": walls, "import": imports, "load": loads, "cpu": cpus, "info": info}


def _env(home: str) -> dict[str, str]:
    return {**os.environ, "DP100_HOME": home, "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"}


def search_times(notes: Path | None, rounds: int = 20) -> list[float]:
    """Per-query latency of SearchIndex.search over all notes (index built once, as the app does)."""
    from content.notes import load_notes
    from content.search import SearchIndex

    index = SearchIndex(load_notes(notes))
    times = []
    for _ in range(rounds):
        for query, lang in QUERIES:
            start = time.perf_counter()
            index.search(query, lang)
            times.append(time.perf_counter() - start)
    return times


def scaled_copy(bank_factor: int, notes_factor: int, into: Path) -> tuple[Path, Path]:
    """Copy the real bank `bank_factor` times and the notes `notes_factor` times, ids renamed.

    Note anchors, question references and links between notes follow the renaming, so the copy is as
    valid as the real content.
    """
    from content.notes import NOTES_DIR
    from quizzes.bank import BANK_DIR

    notes, bank = into / "notes", into / "bank"
    note_ids = {p.stem for p in (NOTES_DIR / "en").glob("*.md")}
    link = re.compile(r"\]\(([a-z0-9-]+)(?=[#)])")
    for lang_dir in NOTES_DIR.iterdir():
        (notes / lang_dir.name).mkdir(parents=True)
        for path in lang_dir.glob("*.md"):
            text = path.read_text(encoding="utf-8")
            for i in range(notes_factor):
                renamed = text.replace(f"id: {path.stem}\n", f"id: {path.stem}-{i}\n")
                renamed = link.sub(lambda m, i=i: f"]({m.group(1)}-{i}" if m.group(1) in note_ids else m.group(0),
                                   renamed)
                (notes / lang_dir.name / f"{path.stem}-{i}.md").write_text(renamed, encoding="utf-8")
    bank.mkdir()
    for path in BANK_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for i in range(bank_factor):
            renamed = re.sub(r"(\n  - id: )([a-z0-9-]+)", rf"\1\2-{i}", text)
            renamed = re.sub(r"\b([a-z0-9-]+)#([a-z0-9-]+)", rf"\1-{i % notes_factor}#\2", renamed)
            (bank / f"{path.stem}-{i}.yaml").write_text(renamed, encoding="utf-8")
    return notes, bank


def report(title: str, runs: dict[str, dict], search: list[float]) -> None:
    info = runs["empty cache"]["info"]
    print(f"\n{title}: {info['questions']} questions, {info['notes']} note files, {info['problems']} problems")
    for label, cold in runs.items():
        print(f"  cold process, {label} (python + imports + load + validate): {_spread(cold['wall'])}")
        print(f"    of which imports:                                        {_spread(cold['import'])}")
        print(f"    of which load + validate (target < 1000 ms):             {_spread(cold['load'])}")
        print(f"      CPU time of load + validate (less sensitive to load):   {_spread(cold['cpu'])}")
    print(f"  search over all notes (target median < 50 ms):               {_spread(search)}")


def measure(repeat: int, notes: Path | None, bank: Path | None) -> dict[str, dict]:
    return {"empty cache": cold_runs(repeat, notes, bank, warm_cache=False),
            "parse cache warm": cold_runs(repeat, notes, bank, warm_cache=True)}


def _load_note() -> None:
    """Say how busy the machine is: wall-clock figures stretch with the load average."""
    if hasattr(os, "getloadavg"):
        one, five, _ = os.getloadavg()
        print(f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPU(s)")


def main() -> None:
    # In-process loads (search timing, copies) use a throwaway DP100_HOME, never the learner's.
    os.environ["DP100_HOME"] = tempfile.mkdtemp(prefix="dp100-bench-home-")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="fresh interpreters per measurement")
    parser.add_argument("--bank-target", type=int, default=500,
                        help="synthetic copy: copy the real bank until it holds at least this many questions "
                             "(0 to skip the synthetic run)")
    parser.add_argument("--notes-scale", type=int, default=2, help="synthetic copy: times the notes are copied")
    args = parser.parse_args()
    _load_note()
    report("real content", measure(args.repeat, None, None), search_times(None))
    if args.bank_target:
        from quizzes.bank import load_bank

        real = max(1, len(load_bank().questions))
        factor = max(1, -(-args.bank_target // real))
        with tempfile.TemporaryDirectory() as tmp:
            notes, bank = scaled_copy(factor, args.notes_scale, Path(tmp))
            title = f"synthetic (bank x{factor}, notes x{args.notes_scale})"
            report(title, measure(args.repeat, notes, bank), search_times(notes))
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
