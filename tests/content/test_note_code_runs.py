"""Every fenced ```python run block of every note runs against a fresh simulated workspace.

Per note, the blocks run in order in one namespace (as a learner runs them in one notebook), in a
subprocess with its own DP100_HOME and working folder. Before the first block the subprocess activates
the simulator, creates a workspace and writes its config.json, so notes connect with
`Workspace.from_config()` exactly as they tell the learner to.

A pt-BR note whose run blocks are identical to its English twin's is run once (the test id names both).
The selected cases run a few at a time in the background; each test waits for its own case.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from content.notes import load_notes

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 300
# Each case is mostly one subprocess creating a workspace and then waiting (runs, services); measured at
# about a quarter CPU-busy, so four at a time cut the wall time well below the serial figure on 2 cores.
PARALLEL_CASES = 4

# The driver the subprocess runs: workspace first, then each block, stopping at the first failure.
DRIVER = r'''
import json, sys, traceback
import sim
sim.activate()
from azureml.core import Workspace

ws = Workspace.create(name="notes-ws", subscription_id="00000000-0000-0000-0000-0000000000c0",
                      resource_group="notes-rg", location="eastus", create_resource_group=True,
                      show_output=False)
ws.write_config()
del ws, Workspace

blocks = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
for label, code in blocks:
    try:
        exec(compile(code, label, "exec"), namespace)
    except BaseException:
        print(f"BLOCK FAILED: {label}", file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
print(f"{len(blocks)} block(s) ran")
'''


def _run_blocks(note) -> list[tuple[str, str]]:
    """(label, code) of each `python run` block of a note, in order; the label is path:line."""
    return [
        (f"{note.path}:{block.line}", block.code)
        for section in note.sections
        for block in section.code_blocks
        if block.language == "python" and "run" in block.flags
    ]


def _cases() -> dict[str, list[tuple[str, str]]]:
    """Test id -> run blocks, one entry per distinct sequence (identical translations share one)."""
    library = load_notes()
    by_code: dict[tuple[str, ...], list] = {}
    for note in sorted(library.all_notes(), key=lambda n: (n.id, n.lang != "en", n.lang)):
        blocks = _run_blocks(note)
        if blocks:
            key = tuple(code for _, code in blocks)
            by_code.setdefault(key, []).append((note, blocks))
    return {"+".join(f"{n.lang}/{n.id}" for n, _ in entries): entries[0][1] for entries in by_code.values()}


CASES = _cases()


def _run_case(blocks: list[tuple[str, str]], folder: Path) -> subprocess.CompletedProcess:
    """Run one note's blocks in a fresh subprocess with its own DP100_HOME and working folder."""
    work = folder / "work"
    work.mkdir(parents=True)
    (folder / "blocks.json").write_text(json.dumps(blocks), encoding="utf-8")
    (folder / "driver.py").write_text(DRIVER, encoding="utf-8")
    env = dict(os.environ)
    env.update({
        "DP100_HOME": str(folder / "home"),
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "true",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        "MPLBACKEND": "Agg",
    })
    return subprocess.run(
        [sys.executable, str(folder / "driver.py"), str(folder / "blocks.json")],
        cwd=work, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
    )


@pytest.fixture(scope="module")
def case_results(request, tmp_path_factory):
    """Start the selected cases in the background (several at a time); tests wait for their own result."""
    selected = [item.callspec.params["case_id"] for item in request.session.items
                if item.originalname == "test_note_run_blocks_run_against_the_simulator"
                and item.module is request.module]
    pool = ThreadPoolExecutor(max_workers=PARALLEL_CASES)
    futures = {case_id: pool.submit(_run_case, CASES[case_id], tmp_path_factory.mktemp("note-run"))
               for case_id in selected}
    yield futures
    pool.shutdown(wait=True)


def test_notes_have_runnable_blocks():
    """The check below is not vacuous: the notes do carry blocks marked to run."""
    assert CASES, "no note has a ```python run block"


@pytest.mark.timeout(3 * TIMEOUT_SECONDS)
@pytest.mark.parametrize("case_id", sorted(CASES))
def test_note_run_blocks_run_against_the_simulator(case_id, case_results):
    result = case_results[case_id].result()
    assert result.returncode == 0, result.stderr[-4000:]
    assert f"{len(CASES[case_id])} block(s) ran" in result.stdout
