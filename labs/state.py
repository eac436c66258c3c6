"""A learner's attempt at a lab on disk: the working folder, the attempt file, set-up and reset.

The folder is `labs_dir()/<NN-slug>` for the default learner (`labs_dir()/<learner>/<NN-slug>` for
others). It holds `.dp100-lab.json`: the attempt's seed and values, whether set-up ran, and the hints and
solutions the learner opened (so they survive an app restart); `.dp100-outputs.json` and `.dp100-reports.json`:
the last outputs of each step's cell and its last check report (so a reloaded page shows them again). A reset
deletes the folder, and these files with it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from dp100 import paths
from dp100.errors import SetupError
from labs.grading import workspace_from_config
from labs.kernel import kernel_env
from labs.spec import Lab, fill

STATE_FILE = ".dp100-lab.json"
OUTPUTS_FILE = ".dp100-outputs.json"
REPORTS_FILE = ".dp100-reports.json"
# A cell can print without end; what is kept for a reload is capped (the live page showed it all).
MAX_KEPT_OUTPUT_CHARS = 2_000_000
DEFAULT_LEARNER = "local"
SETUP_SECONDS = 180


def lab_folder(lab: Lab, learner: str = DEFAULT_LEARNER) -> Path:
    """The working folder of a learner's lab (not created here)."""
    root = paths.labs_dir()
    return root / lab.spec.key if learner == DEFAULT_LEARNER else root / learner / lab.spec.key


class Attempt:
    """The attempt file of one lab folder."""

    def __init__(self, lab: Lab, folder: Path):
        self.lab = lab
        self.folder = folder
        self.path = folder / STATE_FILE
        self.data = self._load()

    def _load(self) -> dict:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, indent=1), encoding="utf-8")

    @property
    def params(self) -> dict:
        return self.data.get("params", {})

    def ensure_started(self) -> None:
        """Draw the attempt's seed and values the first time."""
        if "seed" not in self.data:
            seed = secrets.randbelow(2**31)
            self.data.update(seed=seed, params=self.lab.make_params(seed), setup_done=False, hints={},
                             solutions=[])
            self.save()

    def hints_used(self, step_id: str) -> int:
        return int(self.data.get("hints", {}).get(step_id, 0))

    def use_hint(self, step_id: str, upto: int) -> int:
        hints = self.data.setdefault("hints", {})
        hints[step_id] = max(int(hints.get(step_id, 0)), upto)
        self.save()
        return hints[step_id]

    def solution_shown(self, step_id: str) -> bool:
        return step_id in self.data.get("solutions", [])

    def show_solution(self, step_id: str) -> None:
        shown = self.data.setdefault("solutions", [])
        if step_id not in shown:
            shown.append(step_id)
            self.save()


def save_outputs(folder: Path, step_id: str, result: dict) -> None:
    """Keep `result` (a `CellResult` as a dict) as the last outputs of a step's cell.

    A result too big to keep keeps its status and `too_large` instead of its outputs (the page showed them once).
    """
    if len(json.dumps(result, default=str)) > MAX_KEPT_OUTPUT_CHARS:
        result = {**result, "outputs": [], "too_large": True}
    _keep(folder / OUTPUTS_FILE, step_id, result)


def last_outputs(folder: Path, step_id: str) -> dict | None:
    """The last outputs kept for a step's cell (a `CellResult` as a dict), or None."""
    return _read_kept(folder / OUTPUTS_FILE).get(step_id)


def save_report(folder: Path, step_id: str, report: list[dict]) -> None:
    """Keep a step's last check report (its `CheckResult`s as dicts)."""
    _keep(folder / REPORTS_FILE, step_id, report)


def last_report(folder: Path, step_id: str) -> list[dict] | None:
    """The last check report kept for a step, or None (never checked, or its cell ran since)."""
    return _read_kept(folder / REPORTS_FILE).get(step_id)


def forget_report(folder: Path, step_id: str) -> None:
    """Drop a step's kept report: a new run of its cell makes it stale (it judged the state before the run)."""
    kept = _read_kept(folder / REPORTS_FILE)
    if kept.pop(step_id, None) is not None:
        _write_kept(folder / REPORTS_FILE, kept)


def _keep(path: Path, step_id: str, value) -> None:
    kept = _read_kept(path)
    kept[step_id] = value
    _write_kept(path, kept)


def _write_kept(path: Path, kept: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # default=str: a check's expected/found value JSON cannot hold (a set, a numpy number) is kept as its text
    path.write_text(json.dumps(kept, default=str), encoding="utf-8")


def _read_kept(path: Path) -> dict:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or a file cut short by a crash: start afresh
        return {}
    return kept if isinstance(kept, dict) else {}


def prepare(lab: Lab, learner: str = DEFAULT_LEARNER) -> Attempt:
    """Create the lab folder and attempt, and run the lab's set-up once.

    Raises:
        SetupError: the set-up code failed (its output is in the message).
    """
    folder = lab_folder(lab, learner)
    folder.mkdir(parents=True, exist_ok=True)
    attempt = Attempt(lab, folder)
    attempt.ensure_started()
    if lab.spec.setup and not attempt.data.get("setup_done"):
        run_setup(lab, folder, attempt.params)
        attempt.data["setup_done"] = True
        attempt.save()
    return attempt


def run_setup(lab: Lab, folder: Path, params: dict) -> None:
    """Run the lab's set-up code in a fresh interpreter with the simulator active, in the lab folder."""
    code = "import sim\nsim.activate()\n" + fill(lab.spec.setup, params)
    env = kernel_env({"DP100_SIM_ACTIVE": "1", "MPLBACKEND": "Agg"})
    try:
        done = subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True,
                              timeout=SETUP_SECONDS, start_new_session=True)
    except subprocess.TimeoutExpired as exc:
        raise SetupError(f"Lab {lab.id} set-up did not finish in {SETUP_SECONDS} s; try `dp100 lab reset "
                         f"{lab.id} --yes`.") from exc
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-8:])
        raise SetupError(f"Lab {lab.id} set-up failed; the simulator said:\n{tail}")


def wipe(lab: Lab, learner: str = DEFAULT_LEARNER) -> None:
    """Delete the lab's workspace (named by its config.json) and its folder. Nothing else is touched."""
    folder = lab_folder(lab, learner)
    for record in _lab_workspaces(lab, folder):
        from sim.cloud import workspaces

        workspaces.delete(record)
    if folder.exists():
        shutil.rmtree(folder, onerror=_force_remove)


def _lab_workspaces(lab: Lab, folder: Path) -> list:
    """The workspaces an attempt made: the one its config file names, plus those the lab names itself
    (a lab's `checks.workspaces(params)` lists (resource group, name) pairs for labs with fixed names)."""
    found = []
    if folder.exists():
        record = workspace_from_config(folder)
        if record is not None:
            found.append(record)
    named = getattr(lab.module, "workspaces", None)
    if named:
        from labs.checklib import find_workspace

        for resource_group, name in named(Attempt(lab, folder).params):
            record = find_workspace(resource_group, name)
            if record is not None and record not in found:
                found.append(record)
    return found


def _force_remove(func, path, exc_info) -> None:
    # A read-only file (e.g. a key vault secret written 0400) must not stop a reset.
    os.chmod(path, 0o700)
    func(path)
