"""Running a step's checks: argument injection, broken-check handling, checks that need earlier ones.

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

Every check of a step is run, so the learner sees each requirement's mark, except a check that reads what an
earlier one proves (a run's metrics need the run): it says so with `@needs("earlier_check")` and is reported
*not run* while that check fails. Checks that need the workspace are likewise not run once one of them found
none (they would all say the same thing).
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
        not_run: True when the check was not run because a check it needs did not pass.
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
    not_run: bool = False

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


def needs(*checks: str):
    """Mark a check as reading what the named earlier checks of its step prove.

    While one of them fails, the check is reported not run instead of repeating their failure in its own words.
    The spec loader refuses a step that lists a check before the checks it needs.
    """
    def mark(func):
        func.needs = tuple(checks)
        return func

    return mark


def needed(func) -> tuple[str, ...]:
    """The checks a check function needs (see `needs`)."""
    return tuple(getattr(func, "needs", ()))


def readable(name: str) -> str:
    """A check's name as words ("inline_run_completed" -> "inline run completed")."""
    return name.replace("_", " ")


NOT_RUN = "Not checked yet: it needs '{need}' to pass first."
NOT_RUN_PT = "Ainda não verificado: precisa que '{need}' passe antes."
NO_WORKSPACE_NOT_RUN = "Not checked yet: it needs the workspace (see above)."
NO_WORKSPACE_NOT_RUN_PT = "Ainda não verificado: precisa do workspace (veja acima)."


def not_run(name: str, need: str) -> CheckResult:
    """The result of a check skipped because `need` (a check name, or "" for the workspace) did not pass."""
    if need:
        return CheckResult(False, NOT_RUN.format(need=readable(need)), name=name, not_run=True,
                           message_pt=NOT_RUN_PT.format(need=readable(need)))
    return CheckResult(False, NO_WORKSPACE_NOT_RUN, name=name, not_run=True, message_pt=NO_WORKSPACE_NOT_RUN_PT)


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


def warm_up() -> None:
    """Import what the `mlflow` argument needs (MLflow's tracking client and its SQLite store), e.g. in the
    background when a lab opens: 4-5 s of imports on a busy 2-core machine that the learner's first Check would
    otherwise wait for."""
    import os

    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # MLflow 3 would try to reach the internet
    os.environ.setdefault("DO_NOT_TRACK", "true")
    import mlflow.store.tracking.sqlalchemy_store  # noqa: F401 - imported for its side effect
    import mlflow.tracking.client  # noqa: F401


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


def run_step(lab: Lab, step: Step, folder: Path, params: dict, *, follow_needs: bool = True) -> list[CheckResult]:
    """Run every check of a step in order; one whose needed checks did not pass is reported not run.

    Args:
        lab: the loaded lab.
        step: one of its steps.
        folder: the lab working folder.
        params: the attempt's values.
        follow_needs: False runs every check even so (the tests use it to see each check's own message).
    """
    injector = Injector(Path(folder), params)
    results: list[CheckResult] = []
    for name in step.checks:
        blocker = _blocker(lab, name, results) if follow_needs else None
        if blocker is not None:
            results.append(not_run(name, blocker))
            continue
        results.append(run_check(lab, name, injector, note=step.note))
    return results


def _blocker(lab: Lab, name: str, earlier: list[CheckResult]) -> str | None:
    """Why a check cannot run yet: a needed check that did not pass, "" when the workspace is missing, or None."""
    outcome = {r.name: r for r in earlier}
    for need in needed(lab.check(name)):
        if need in outcome and not outcome[need].passed:
            return need
    asks = set(inspect.signature(lab.check(name)).parameters)
    if asks & {"record", "mlflow"} and any(r.message == NO_WORKSPACE for r in earlier):
        return ""
    return None
