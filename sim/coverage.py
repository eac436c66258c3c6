"""The coverage page of the simulated SDK v1: what exists, what is simulated, what says it is not.

`python -m sim coverage` writes sim/COVERAGE.md from the code and the real SDK's surface
(sim/_reference/azureml_v1_surface.json, a trimmed copy of ../shared/reference/azureml_v1_surface.json made
by `python -m sim coverage --refresh-reference PATH`). `--check` exits 1 when COVERAGE.md is stale.

A member is *supported* when the facade has it (same parameter names in the same order, equally
optional), *not simulated* when it exists but only raises the clear "not simulated" error (its body or
docstring says so), *signature differs* when names or optionality differ, and *missing* otherwise.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "_reference" / "azureml_v1_surface.json"
PAGE = HERE / "COVERAGE.md"
STATUSES = ("supported", "not simulated", "signature differs", "missing")


@dataclass
class ClassCoverage:
    """The coverage of one SDK class."""

    name: str
    used_in_labs: bool
    present: bool
    members: dict[str, str] = field(default_factory=dict)  # member -> status
    lab_members: set[str] = field(default_factory=set)

    def count(self, status: str, lab_only: bool = False) -> int:
        """How many members have `status` (optionally only lab-used ones)."""
        return sum(1 for m, s in self.members.items() if s == status and (not lab_only or m in self.lab_members))


def load_reference(path: Path = REFERENCE) -> dict:
    """The trimmed reference surface."""
    return json.loads(Path(path).read_text())


def refresh_reference(source: Path, target: Path = REFERENCE) -> None:
    """Rebuild the trimmed reference from the full surface dump of the real SDK."""
    full = json.loads(Path(source).read_text())

    def params(entry):
        return [[p["name"], p["kind"], p["has_default"]] for p in entry["params"]]

    trimmed = {"sdk_version": full["sdk_version"], "classes": {}, "functions": {}}
    for name, cls in full["classes"].items():
        trimmed["classes"][name] = {
            "used_in_labs": bool(cls.get("used_in_labs")), "mro": cls["mro"],
            "methods": {m: {"params": params(v), "used_in_labs": bool(v.get("used_in_labs"))}
                        for m, v in cls["methods"].items()},
            "properties": {p["name"]: bool(p.get("used_in_labs")) for p in cls["properties"]},
            "attributes": {a["name"]: bool(a.get("used_in_labs")) for a in cls.get("instance_attributes", [])}}
    for name, fn in full["functions"].items():
        trimmed["functions"][name] = {"params": params(fn), "used_in_labs": bool(fn.get("used_in_labs"))}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(trimmed, sort_keys=True, separators=(",", ":")) + "\n")


# ---- signatures --------------------------------------------------------------------------------------

def facade_params(fn) -> list[tuple[str, bool]] | None:
    """(name, optional) of a callable's parameters, without self/cls and *args/**kwargs."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    return [(p.name, p.default is not p.empty) for p in sig.parameters.values()
            if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def reference_params(entry: dict) -> list[tuple[str, bool]]:
    """(name, optional) of the real SDK's parameters, on the same terms as `facade_params`."""
    return [(name, has_default) for name, kind, has_default in entry["params"]
            if name not in ("self", "cls") and kind not in ("VAR_POSITIONAL", "VAR_KEYWORD")]


def signature_matches(fn, entry: dict) -> bool:
    """The rule of ../shared/tools/signature_parity.py: same names in order, equally optional, extras optional."""
    mine, want = facade_params(fn), reference_params(entry)
    if mine is None:
        return False
    if [n for n, _ in mine[:len(want)]] != [n for n, _ in want]:
        return False
    return all(a[1] == b[1] for a, b in zip(want, mine, strict=False)) and all(opt for _, opt in mine[len(want):])


# ---- classification ----------------------------------------------------------------------------------

def resolve(dotted: str):
    """Import `module.Name` from the simulator (with azureml.* resolving to sim.azureml.*)."""
    import sim

    sim.activate()
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _says_not_simulated(obj) -> bool:
    """True when a member's docstring starts with "Not simulated" or its whole body is a not_simulated call."""
    target = obj.fget if isinstance(obj, property) else obj
    target = getattr(target, "__func__", target)
    if (inspect.getdoc(target) or "").lower().startswith("not simulated"):
        return True
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(target)))
    except (OSError, TypeError, SyntaxError):
        return False
    func = tree.body[0] if tree.body and isinstance(tree.body[0], ast.FunctionDef) else None
    if func is None:
        return False
    body = [n for n in func.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return len(body) == 1 and _is_not_simulated_call(body[0])


def _is_not_simulated_call(node) -> bool:
    call = node.value if isinstance(node, ast.Expr) else node.exc if isinstance(node, ast.Raise) else None
    if not isinstance(call, ast.Call):
        return False
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return "not_simulated" in name


def _member_status(cls, name: str, entry: dict | None) -> str:
    raw = inspect.getattr_static(cls, name, None)
    if raw is None:
        return "missing"
    if getattr(cls, "__sim_not_simulated__", False) or _says_not_simulated(raw):
        return "not simulated"
    if entry is not None and not signature_matches(getattr(cls, name), entry):
        return "signature differs"
    return "supported"


def classify(cname: str, entry: dict) -> ClassCoverage:
    """The coverage of one reference class."""
    result = ClassCoverage(cname, entry["used_in_labs"], present=False)
    try:
        cls = resolve(cname)
    except Exception:  # noqa: BLE001 - any import failure means the class is not there
        cls = None
    members = {m: e for m, e in entry["methods"].items() if not m.startswith("_") or m == "__init__"}
    result.lab_members = {m for m, e in members.items() if e["used_in_labs"]}
    result.lab_members |= {p for p, used in entry["properties"].items() if used}
    if cls is None:
        result.members = {m: "missing" for m in [*members, *entry["properties"]]}
        return result
    result.present = True
    for name, method in members.items():
        result.members[name] = _member_status(cls, name, method)
    for name in entry["properties"]:
        result.members[name] = _member_status(cls, name, None)
    return result


def collect(reference: dict | None = None) -> list[ClassCoverage]:
    """Coverage of every class of the reference surface, by name."""
    reference = reference or load_reference()
    return [classify(name, entry) for name, entry in sorted(reference["classes"].items())]


# ---- the page ----------------------------------------------------------------------------------------

def _area(cname: str) -> str:
    parts = cname.split(".")
    return ".".join(parts[:3]) if len(parts) > 3 and parts[1] in ("core", "pipeline", "train") else ".".join(parts[:2])


def render(coverage: list[ClassCoverage], sdk_version: str) -> str:
    """The markdown of the coverage page."""
    lines = [
        "# Simulated Azure ML SDK v1: coverage",
        "",
        f"Generated by `python -m sim coverage` from the simulator's code and the real SDK's surface "
        f"(azureml-core {sdk_version}). Do not edit by hand; regenerate after changing the facade.",
        "",
        "*supported*: present with the real parameter names, order and optionality. *not simulated*: present, "
        "raises a clear error naming the member. *signature differs*: present, parameters differ. "
        "*missing*: absent. Members the DP-100 labs use are marked with an asterisk.",
        "",
        "## Summary by area",
        "",
        "| Area | Classes present | Supported | Not simulated | Signature differs | Missing | Lab-used supported |",
        "|---|---|---|---|---|---|---|",
    ]
    areas: dict[str, list[ClassCoverage]] = {}
    for item in coverage:
        areas.setdefault(_area(item.name), []).append(item)
    for area, items in sorted(areas.items()):
        counts = [sum(c.count(s) for c in items) for s in STATUSES]
        lab_total = sum(len(c.lab_members) for c in items)
        lab_ok = sum(c.count("supported", lab_only=True) for c in items)
        lines.append(f"| `{area}` | {sum(c.present for c in items)}/{len(items)} | "
                     + " | ".join(map(str, counts)) + f" | {lab_ok}/{lab_total} |")
    for area, items in sorted(areas.items()):
        lines += ["", f"## `{area}`"]
        for item in items:
            lines += _class_section(item)
    return "\n".join(lines) + "\n"


def _class_section(item: ClassCoverage) -> list[str]:
    title = f"### `{item.name}`" + (" (used in the labs)" if item.used_in_labs else "")
    if not item.present:
        return ["", title, "", "Not in the simulator."]
    out = ["", title, ""]
    for status in STATUSES:
        names = sorted(m for m, s in item.members.items() if s == status)
        if names:
            marked = ", ".join(f"{n}*" if n in item.lab_members else n for n in names)
            out.append(f"- {status}: {marked}")
    return out


def generate() -> str:
    """The current coverage page text."""
    from sim.az import coverage as az_coverage
    from sim.rest import coverage as rest_coverage

    reference = load_reference()
    return render(collect(reference), reference["sdk_version"]) + rest_coverage.render() + az_coverage.render()


def main(argv: list[str]) -> int:
    """`python -m sim coverage [--check] [--refresh-reference PATH]`."""
    if argv[:1] == ["--refresh-reference"] and len(argv) == 2:
        refresh_reference(Path(argv[1]))
        argv = []
    text = generate()
    if argv == ["--check"]:
        current = PAGE.read_text() if PAGE.exists() else ""
        if current != text:
            print("sim/COVERAGE.md is out of date: run `python -m sim coverage` and commit it.", file=sys.stderr)
            return 1
        print("sim/COVERAGE.md is up to date.")
        return 0
    if argv:
        print("usage: python -m sim coverage [--check] [--refresh-reference PATH]", file=sys.stderr)
        return 2
    PAGE.write_text(text)
    print(f"wrote {PAGE}")
    return 0
