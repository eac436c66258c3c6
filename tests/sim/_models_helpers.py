"""Helpers shared by the SIM-MODELS tests: a lab folder with its own DP100_HOME, scoring scripts, cleanup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import sim

SUB = "00000000-0000-0000-0000-0000000000ad"

# A scoring script that needs no heavy imports: it multiplies the inputs by the number in the model file.
SCALER_SCRIPT = '''
import json
import os

from azureml.core.model import Model


def init():
    global factor
    factor = float(open(Model.get_model_path("factor")).read())
    print("init: factor is", factor)


def run(raw_data):
    values = json.loads(raw_data)["data"]
    return {"scaled": [v * factor for v in values], "model_dir": os.environ["AZUREML_MODEL_DIR"]}
'''


class LabFolder:
    """A module-wide working folder + DP100_HOME, entered with chdir, and a workspace in it."""

    def __init__(self, tmp_path_factory, name: str):
        self.root = tmp_path_factory.mktemp(name)
        self.home = self.root / "home"
        self.work = self.root / "work"
        self.work.mkdir()
        self._mp = pytest.MonkeyPatch()
        self._mp.setenv("DP100_HOME", str(self.home))
        self._mp.chdir(self.work)
        self._was_active = sim.is_active()
        sim.activate()
        from azureml.core import Workspace

        self.ws = Workspace.create(name=f"{name}-ws", subscription_id=SUB, resource_group=f"{name}-rg",
                                   location="eastus", create_resource_group=True, show_output=False)

    def write(self, relative: str, text: str) -> Path:
        """Write a file under the working folder (creating folders)."""
        path = self.work / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def close(self) -> None:
        """Stop every scoring server of the workspace and check none is left running."""
        from sim.cloud import services

        if self.ws._record.state_db.exists():  # a test may have deleted the workspace already
            services.stop_all(self.ws._record)
        leftovers = servers_still_running(self.home)
        if not self._was_active:
            sim.deactivate()
        self._mp.undo()
        assert leftovers == [], f"scoring servers left running: {leftovers}"


def servers_still_running(home: Path, name: str = "", seconds: float = 15.0) -> list[int]:
    """The scoring servers under `home` (whose command line names `name`) still alive after `seconds`: a stopped
    server takes a moment to exit, longer on a busy machine."""
    import time

    deadline = time.monotonic() + seconds
    while (found := [pid for pid in server_pids(home) if name in _cmdline(pid)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def server_pids(home: Path) -> list[int]:
    """Pids of live scoring servers whose service folder is under `home`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            continue
        if "sim._scoring_server" in cmdline and str(home) in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def register_factor(ws, value: float, name: str = "factor"):
    """Register a one-line text model holding `value`."""
    from azureml.core import Model

    Path("factor").write_text(str(value))
    return Model.register(workspace=ws, model_path="factor", model_name=name)


def pid_alive(pid: int) -> bool:
    """True when the process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except (OSError, ProcessLookupError):
        return False
    return state != "Z"
