"""A static scan of the SDK v1 face (`sim/azureml`) for ways into `sim.cloud` state that bypass the service.

The face must reach every state-touching `sim.cloud` function through `cloud(...)` / `v1_service(...)` /
`routed(...)` (see `sim.service.routed`), so that in process mode the call goes to the service. Two things are
looked for in each module's syntax tree:

- a direct reference to a `sim.cloud` function or class (`from sim.cloud.x import f`, `sim.cloud.x.f(...)`,
  `from sim.cloud import x; x.f(...)`): allowed only for what `PURE` lists (record types, constants, checks of
  arguments) and the functions `routed.RUN_HERE` runs in the caller anyway;
- a call through a routed view (`_cloud = v1_service(sim.cloud.x)`, then `_cloud.f(...)`): `f` must be a function
  the service offers (`calls.ALLOWED`) or one `routed` adapts or runs here, else process mode would refuse it at
  run time with `NotRouted`.

What a static scan cannot see (a routed view handed to another module, `getattr` with a computed name) is left to
the dynamic test, which runs the face with the state hidden.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import types
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FACE = ROOT / "sim" / "azureml"
ROUTING_FUNCTIONS = {"cloud", "v1_service", "routed"}

# `sim.cloud` objects the face may use directly, each because it reads or writes no state.
PURE = {
    # Record types and value classes: building one touches nothing.
    "sim.cloud.datasets.DatasetInfo",
    "sim.cloud.runs.metrics.MetricJournal",  # only subclassed (the service's journal); in process mode it is routed
    # Errors the face catches.
    "sim.cloud.errors.CloudError", "sim.cloud.errors.NotFound",
    # Reference data compiled into the code: Azure regions and VM sizes.
    "sim.cloud.regions.normalize_region", "sim.cloud.regions.sizes_in_region",
    # Who the caller is: read from this process's environment, as an Azure token is the caller's own.
    "sim.cloud.access.current_caller",
    # Pure conversions of a dataset definition or a path.
    "sim.cloud.runs.inputs.single_file_no_transform", "sim.cloud.runs.inputs.target_folder",
    "sim.cloud.runs.inputs.place_files",  # copies files the caller already holds (or bytes it is given)
    # Checks and arithmetic of a sweep's settings, search space and policy, and of AutoML's metric order: the
    # face checks a config as the SDK does, before anything is sent.
    "sim.cloud.sweeps.search_space.check_arguments", "sim.cloud.sweeps.search_space.size",
    "sim.cloud.sweeps.sampling.check", "sim.cloud.sweeps.sampling.next_point", "sim.cloud.sweeps.policies.to_cancel",
    "sim.cloud.automl.scoring.better",
}


@dataclass(frozen=True)
class Finding:
    """One way into `sim.cloud` that bypasses the service."""

    path: str
    line: int
    target: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.target} ({self.why})"


def _resolve(dotted: str):
    """The object a dotted name under `sim.cloud` names, or None when it names nothing importable."""
    parts = dotted.split(".")
    for cut in range(len(parts), 1, -1):
        try:
            value = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            value = getattr(value, name, None)
            if value is None:
                return None
        return value
    return None


def _dotted(node, aliases: dict[str, str]) -> str | None:
    """`a.b.c` as a dotted name with its first part replaced by what the file imported it as; None otherwise."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(names)])


def _aliases(tree) -> dict[str, str]:
    """Local name -> the module path it stands for, from every import in the file (any depth)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = alias.name
                else:
                    found[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _lazy_views(tree, aliases) -> dict[str, str]:
    """Class name -> `sim.cloud` module, for a class whose `__getattr__` hands out a routed view's attributes (a
    view made on first use, e.g. `model.py`'s `_LazyCloudModels`)."""
    lazy = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for method in node.body:
                if isinstance(method, ast.FunctionDef) and method.name == "__getattr__":
                    modules = {_routed_module(n, aliases) for n in ast.walk(method)} - {None}
                    if len(modules) == 1:
                        lazy[node.name] = modules.pop()
    return lazy


def _routed_views(tree, aliases) -> dict[str, str]:
    """Local name -> `sim.cloud` module, for `name = cloud(sim.cloud.x)` (or v1_service/routed), including the
    `a, b = (v1_service(m) for m in (sim.cloud.x, sim.cloud.y))` form and `name = _LazyView()`."""
    views, lazy = {}, _lazy_views(tree, aliases)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target, value = node.targets[0], node.value
        if isinstance(target, ast.Name) and (module := _routed_module(value, aliases)):
            views[target.id] = module
        elif (isinstance(target, ast.Name) and isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
              and value.func.id in lazy):
            views[target.id] = lazy[value.func.id]
        elif isinstance(target, ast.Tuple) and isinstance(value, ast.GeneratorExp):
            iterable = value.generators[0].iter
            if _is_routing_call(value.elt) and isinstance(iterable, ast.Tuple):
                for name, element in zip(target.elts, iterable.elts, strict=False):
                    module = _dotted(element, aliases)
                    if isinstance(name, ast.Name) and module and module.startswith("sim.cloud"):
                        views[name.id] = module
    return views


def _is_routing_call(node) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ROUTING_FUNCTIONS
            and len(node.args) >= 1)


def _routed_module(node, aliases) -> str | None:
    """The `sim.cloud` module a `cloud(...)`-like call wraps, or None."""
    if not _is_routing_call(node):
        return None
    module = _dotted(node.args[0], aliases)
    return module if module and module.startswith("sim.cloud") else None


def _offered(module: str, function: str) -> bool:
    """True when process mode can run `module.function`: the service offers it, or `routed` adapts it or runs it
    in the caller."""
    from sim.service import calls, routed

    target = f"{module}.{function}"
    return (function in calls.ALLOWED.get(module, ()) or target in routed.RUN_HERE or target in routed._ADAPTED
            or target in routed._LOGGED)


def _direct_findings(tree, aliases, rel) -> list[Finding]:
    """References to `sim.cloud` functions and classes that do not go through a routed view."""
    from sim.service import routed

    findings, inner = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))  # only the longest chain is judged
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name | ast.Attribute) or id(node) in inner:
            continue
        dotted = _dotted(node, aliases)
        if not dotted or not dotted.startswith("sim.cloud."):
            continue
        value = _resolve(dotted)
        if isinstance(value, types.ModuleType) or not (inspect.isfunction(value) or inspect.isclass(value)):
            continue  # a module (what a routed view wraps) or a constant
        qualified = f"{value.__module__}.{value.__qualname__}"
        if dotted in PURE or qualified in PURE or dotted in routed.RUN_HERE:
            continue
        findings.append(Finding(rel, node.lineno, dotted, "used directly, not through cloud(...)"))
    return findings


def _routed_call_findings(tree, aliases, rel) -> list[Finding]:
    """Calls through a routed view to a function the service does not offer."""
    views = _routed_views(tree, aliases)
    findings = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        holder = node.func.value
        module = views.get(holder.id) if isinstance(holder, ast.Name) else _routed_module(holder, aliases)
        if module is None:
            continue
        value = getattr(importlib.import_module(module), node.func.attr, None)
        if inspect.isfunction(value) and not _offered(module, node.func.attr):
            findings.append(Finding(rel, node.lineno, f"{module}.{node.func.attr}",
                                    "called through the service, which does not offer it"))
    return findings


def scan_file(path: Path) -> list[Finding]:
    """Every finding in one module of the face."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    aliases = _aliases(tree)
    rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    return _direct_findings(tree, aliases, rel) + _routed_call_findings(tree, aliases, rel)


def scan(root: Path = FACE) -> list[Finding]:
    """Every finding in the face's modules below `root`."""
    return [finding for path in sorted(root.rglob("*.py")) for finding in scan_file(path)]
