"""Every fenced ```python run block of every note runs against a fresh simulated workspace.

Per note, the blocks run in order in one namespace (as a learner runs them in one notebook), in a
subprocess with its own DP100_HOME and working folder. Before the first block the subprocess activates
the simulator, creates a workspace and writes its config.json, so notes connect with
`Workspace.from_config()` exactly as they tell the learner to.

A pt-BR note whose run blocks are identical to its English twin's is run once (the test id names both).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from content.notes import load_notes

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 300

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


def _cases() -> list:
    """One pytest param per distinct sequence of run blocks (identical translations share a case)."""
    library = load_notes()
    by_code: dict[tuple[str, ...], list] = {}
    for note in sorted(library.all_notes(), key=lambda n: (n.id, n.lang != "en", n.lang)):
        blocks = _run_blocks(note)
        if blocks:
            key = tuple(code for _, code in blocks)
            by_code.setdefault(key, []).append((note, blocks))
    cases = []
    for entries in by_code.values():
        label = "+".join(f"{n.lang}/{n.id}" for n, _ in entries)
        cases.append(pytest.param(entries[0][1], id=label))
    return cases


CASES = _cases()


def test_notes_have_runnable_blocks():
    """The check below is not vacuous: the notes do carry blocks marked to run."""
    assert CASES, "no note has a ```python run block"


@pytest.mark.timeout(TIMEOUT_SECONDS + 30)
@pytest.mark.parametrize("blocks", CASES)
def test_note_run_blocks_run_against_the_simulator(blocks, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "blocks.json").write_text(json.dumps(blocks), encoding="utf-8")
    (tmp_path / "driver.py").write_text(DRIVER, encoding="utf-8")
    env = dict(os.environ)
    env.update({
        "DP100_HOME": str(tmp_path / "home"),
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "true",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        "MPLBACKEND": "Agg",
    })
    result = subprocess.run(
        [sys.executable, str(tmp_path / "driver.py"), str(tmp_path / "blocks.json")],
        cwd=work, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert f"{len(blocks)} block(s) ran" in result.stdout
