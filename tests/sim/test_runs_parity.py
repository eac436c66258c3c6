"""Signature parity of the SIM-RUNS classes with the real azureml SDK (from the dumped reference surface).

Same rule as ../shared/tools/signature_parity.py: every real parameter under the same name, in the same
order, equally optional, and nothing extra that is required. Lab-used members must match 100%; so must
every public method of these classes, so learners who go beyond the labs meet the real signatures.
"""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import pytest

import sim

SURFACE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "azureml_v1_surface.json"
MY_CLASSES = [
    "azureml.core.Experiment", "azureml.core.Run", "azureml.core.ScriptRun", "azureml.core.ScriptRunConfig",
    "azureml.core.RunConfiguration", "azureml.core.runconfig.DockerConfiguration", "azureml.core.Environment",
    "azureml.core.environment.PythonSection", "azureml.core.environment.DockerSection",
    "azureml.core.conda_dependencies.CondaDependencies", "azureml.core.run._SubmittedRun",
    "azureml.core._portal.HasExperimentPortal", "azureml.widgets.RunDetails",
]
NOT_OFFERED: dict[str, str] = {}  # every public method exists: absent features raise "not simulated"


def _surface():
    return json.loads(SURFACE.read_text())["classes"]


def _resolve(dotted):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _params(fn):
    sig = inspect.signature(fn)
    return [(p.name, p.default is not p.empty) for p in sig.parameters.values()
            if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _real(entry):
    return [(p["name"], p["has_default"]) for p in entry["params"]
            if p["name"] not in ("self", "cls") and p["kind"] not in ("VAR_POSITIONAL", "VAR_KEYWORD")]


def _mismatch(cls, method, entry):
    fn = getattr(cls, method, None)
    if fn is None:
        return "missing"
    mine, want = _params(fn), _real(entry)
    if [n for n, _ in mine[:len(want)]] != [n for n, _ in want] or any(not d for _, d in mine[len(want):]):
        return f"{[n for n, _ in mine]} != {[n for n, _ in want]}"
    if any(a[1] != b[1] for a, b in zip(want, mine[:len(want)], strict=True)):
        return "optionality differs"
    return None


@pytest.fixture(scope="module", autouse=True)
def active():
    sim.activate()


def _checks(lab_only: bool):
    surface = _surface()
    for cname in MY_CLASSES:
        for method, entry in sorted(surface[cname]["methods"].items()):
            if lab_only and not entry.get("used_in_labs"):
                continue
            if not lab_only and (method.startswith("_") and method != "__init__"):
                continue
            yield cname, method, entry


def test_lab_used_members_match_100_percent():
    misses = [f"{c}.{m}: {why}" for c, m, e in _checks(True) if (why := _mismatch(_resolve(c), m, e))]
    total = len(list(_checks(True)))
    assert total >= 30
    assert misses == [], f"{len(misses)}/{total} lab-used members differ"


def test_every_public_method_matches_or_is_explained():
    misses = []
    for cname, method, entry in _checks(False):
        short = f"{entry['defined_in'].rsplit('.', 1)[1]}.{method}"
        if short in NOT_OFFERED:
            continue
        why = _mismatch(_resolve(cname), method, entry)
        if why:
            misses.append(f"{cname}.{method}: {why}")
    assert misses == []


def test_lab_used_properties_and_attributes_exist():
    from azureml.core import Environment, RunConfiguration
    from azureml.core.environment import DockerSection, PythonSection

    instances = {"azureml.core.Environment": Environment("parity"), "azureml.core.RunConfiguration":
                 RunConfiguration(), "azureml.core.environment.PythonSection": PythonSection(),
                 "azureml.core.environment.DockerSection": DockerSection()}
    surface = _surface()
    missing = []
    for cname in MY_CLASSES:
        cls = _resolve(cname)
        for prop in surface[cname].get("properties", []):
            if prop.get("used_in_labs") and not hasattr(instances.get(cname, cls), prop["name"]):
                missing.append(f"{cname}.{prop['name']}")
        for attr in surface[cname].get("instance_attributes", []):
            if attr.get("used_in_labs") and not hasattr(instances.get(cname, cls), attr["name"]):
                missing.append(f"{cname}.{attr['name']}")
    assert missing == []


def test_shared_parity_tool_finds_no_miss_in_these_classes(capsys, monkeypatch):
    tool = SURFACE.parents[1] / "tools" / "signature_parity.py"
    spec = importlib.util.spec_from_file_location("signature_parity", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr("sys.argv", ["signature_parity.py", str(SURFACE), "--min", "0"])
    with pytest.raises(SystemExit):
        module.main()
    out = capsys.readouterr().out
    mine = [line for line in out.splitlines() if line.startswith("miss:")
            and any(line.split()[1].startswith(c + ".") or line.split()[1] == c for c in MY_CLASSES)]
    assert mine == []
