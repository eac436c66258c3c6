"""Running a step's checks: argument injection, broken-check handling, stop at the first failure.

A check is a small function in a lab's `checks.py`. It names what it needs as parameters and the engine
passes them in:

- `folder`: the lab working folder (`pathlib.Path`);
- `params`: the attempt's values (dict; empty for most labs);
- `ws`: the workspace record (`sim.cloud.workspaces.WorkspaceRecord`) named by `config.json` in the lab
  folder, or None when there is none;
- `record`: the same record, but required: when there is no workspace the check fails with a message
  telling the learner to create one and write `config.json`, without running the check;
- `mlflow`: an `mlflow.MlflowClient` on that workspace's tracking store (also requires a workspace);
- `data`: the `labs.data` module (the lab data set, so checks can recompute true figures).

A check returns a `CheckResult` (build it with `passed(...)` or `failed(...)`). A check that raises, or
returns anything else, is reported as a *broken* check with the error: that is the lab's fault, not the
learner's.
"""

from __future__ import annotations

import inspect
import json
import re
import time
import traceback
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from labs.spec import Lab, Step

NO_WORKSPACE = ("No workspace is connected to this lab yet: the lab folder has no config file (.azureml/config.json) "
                "naming an existing workspace. Create the workspace (or reset the lab, which runs its set-up) and "
                "save its config with ws.write_config(path='.').")
NO_WORKSPACE_PT = ("Nenhum workspace está ligado a este laboratório ainda: a pasta do laboratório não tem um arquivo "
                   "de configuração (.azureml/config.json) que nomeie um workspace existente. Crie o workspace (ou "
                   "recomece o laboratório, que roda a preparação) e salve a configuração com "
                   "ws.write_config(path='.').")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes:
        passed: True when the state is right.
        message: what is right, or what is wrong and how to fix it.
        expected: what the check wanted (shown next to `found`), when it helps.
        found: what the check saw.
        hint: a further nudge.
        note: id of the study note that teaches this.
        name: the check's name (filled in by the engine).
        broken: True when the check itself failed (raised or returned garbage).
        error: the check's traceback when broken.
        seconds: how long the check took.
        message_pt: the message in Brazilian Portuguese ("" when the check gives none: English is shown).
    """

    passed: bool
    message: str
    expected: Any = None
    found: Any = None
    hint: str = ""
    note: str = ""
    name: str = ""
    broken: bool = False
    error: str = ""
    seconds: float = 0.0
    message_pt: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    def message_in(self, language: str) -> str:
        """The message in `language` ("en" or "pt-BR"), English when there is no translation."""
        return self.message_pt if language == "pt-BR" and self.message_pt else self.message


def passed(message: str, pt: str = "", **extra: Any) -> CheckResult:
    """A passing result; `pt` is the same message in Brazilian Portuguese."""
    return CheckResult(True, message, message_pt=pt, **extra)


def failed(message: str, expected: Any = None, found: Any = None, hint: str = "", note: str = "",
           pt: str = "") -> CheckResult:
    """A failing result: `message` says what is wrong and what to do; `pt` says it in Brazilian Portuguese."""
    return CheckResult(False, message, expected=expected, found=found, hint=hint, note=note, message_pt=pt)


class _NeedsWorkspace(Exception):
    pass


CONFIG_PLACES = (".azureml/config.json", "aml_config/config.json", "config.json")
_SCOPE = re.compile(r"/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.MachineLearningServices/"
                    r"workspaces/([^/]+)$", re.IGNORECASE)


def read_config(folder: Path) -> tuple[str, str, str] | None:
    """(subscription, resource group, workspace) from the config file `Workspace.from_config` would find in
    `folder` (`.azureml/config.json`, `aml_config/config.json` or `config.json`; either the `Scope` form that
    `write_config` writes or the three-key form), or None."""
    for place in CONFIG_PLACES:
        try:
            doc = json.loads((folder / place).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(doc, dict):
            return None
        match = _SCOPE.search(str(doc.get("Scope") or ""))
        if match:
            return match.group(1), match.group(2), match.group(3)
        try:
            return str(doc["subscription_id"]), str(doc["resource_group"]), str(doc["workspace_name"])
        except KeyError:
            return None
    return None


def workspace_from_config(folder: Path):
    """The workspace record named by the lab folder's config file, or None (no file, bad file, no workspace)."""
    names = read_config(folder)
    if names is None:
        return None
    try:
        from sim.cloud import workspaces
    except ImportError:
        return None
    return workspaces.find(*names)


class Injector:
    """Builds the arguments a check asks for, once per grading pass."""

    def __init__(self, folder: Path, params: dict):
        self.folder = folder
        self.params = params
        self._cache: dict[str, Any] = {}

    def value(self, name: str) -> Any:
        if name not in self._cache:
            self._cache[name] = self._build(name)
        return self._cache[name]

    def _build(self, name: str) -> Any:
        if name == "folder":
            return self.folder
        if name == "params":
            return self.params
        if name == "ws":
            return workspace_from_config(self.folder)
        if name == "record":
            record = self.value("ws")
            if record is None:
                raise _NeedsWorkspace()
            return record
        if name == "mlflow":
            from mlflow import MlflowClient

            return MlflowClient(tracking_uri=self.value("record").mlflow_uri)
        if name == "data":
            from labs import data

            return data
        raise TypeError(f"check asks for an unknown argument {name!r}")


def run_check(lab: Lab, name: str, injector: Injector, note: str = "") -> CheckResult:
    """Run one named check of `lab`; never raises."""
    func = lab.check(name)
    started = time.perf_counter()
    try:
        kwargs = {p: injector.value(p) for p in inspect.signature(func).parameters}
        result = func(**kwargs)
        if not isinstance(result, CheckResult):
            raise TypeError(f"check returned {type(result).__name__}, not CheckResult")
    except _NeedsWorkspace:
        result = failed(NO_WORKSPACE, expected="config.json naming an existing workspace",
                        found="no workspace", note="workspace", pt=NO_WORKSPACE_PT)
    except Exception as exc:  # noqa: BLE001 - a broken check is reported, never raised
        result = CheckResult(False, f"This check is broken ({type(exc).__name__}: {exc}). It is not your "
                             "fault; please report it.", broken=True, error=traceback.format_exc(),
                             message_pt=f"Esta verificação está com defeito ({type(exc).__name__}: {exc}). A culpa "
                             "não é sua; por favor, relate o problema.")
    return replace(result, name=name, note=result.note or note, seconds=time.perf_counter() - started)


def run_step(lab: Lab, step: Step, folder: Path, params: dict, *, stop_at_first: bool = True) -> list[CheckResult]:
    """Run a step's checks in order; by default stop at the first failure (later checks are not run).

    Args:
        lab: the loaded lab.
        step: one of its steps.
        folder: the lab working folder.
        params: the attempt's values.
        stop_at_first: False runs every check (the tests use it to see each check's own message).
    """
    injector = Injector(Path(folder), params)
    results = []
    for name in step.checks:
        result = run_check(lab, name, injector, note=step.note)
        results.append(result)
        if stop_at_first and not result.passed:
            break
    return results
