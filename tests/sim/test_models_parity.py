"""Signature parity of Model, InferenceConfig and the web service classes against the real SDK's surface.

The reference is the in-repo trimmed copy of the real azureml-core 1.61 surface (sim/_reference/), so the
test runs without ../shared. The rule is the shared tool's (../shared/tools/signature_parity.py): the real
parameter names in the same order, equally optional, and nothing extra that is required.
"""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import pytest

import sim

SURFACE = Path(sim.__file__).resolve().parent / "_reference" / "azureml_v1_surface.json"
OUR_CLASSES = ["azureml.core.Model", "azureml.core.model.InferenceConfig", "azureml.core.Webservice",
               "azureml.core.webservice.AciWebservice", "azureml.core.webservice.LocalWebservice",
               "azureml.core.webservice.aci.AciServiceDeploymentConfiguration",
               "azureml.core.webservice.UnknownWebservice"]
NOT_CLAIMED = {"__new__", "__repr__", "validate_image"}  # image-era internals the simulator does not carry


def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _ours(fn) -> list[tuple[str, bool]]:
    params = inspect.signature(fn).parameters.values()
    return [(p.name, p.default is not p.empty) for p in params
            if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _real(member: dict) -> list[tuple[str, bool]]:
    return [(name, has_default) for name, kind, has_default in member["params"]
            if name not in ("self", "cls") and kind not in ("VAR_POSITIONAL", "VAR_KEYWORD")]


@pytest.fixture(scope="module")
def surface():
    sim.activate()
    yield json.loads(SURFACE.read_text())["classes"]
    sim.deactivate()


def _mismatches(surface, lab_only: bool) -> tuple[int, list[str]]:
    total, misses = 0, []
    for cname in OUR_CLASSES:
        cls = _resolve(cname)
        for mname, member in sorted(surface[cname]["methods"].items()):
            if (lab_only and not member.get("used_in_labs")) or mname in NOT_CLAIMED:
                continue
            total += 1
            fn = getattr(cls, mname, None)
            mine, want = (_ours(fn) if fn is not None else None), _real(member)
            if mine is None or mine[:len(want)] != want or any(not optional for _, optional in mine[len(want):]):
                misses.append(f"{cname}.{mname}: {mine} != {want}")
    return total, misses


def test_every_lab_used_member_has_the_real_signature(surface):
    total, misses = _mismatches(surface, lab_only=True)
    assert total >= 12
    assert misses == []


def test_every_member_of_our_classes_has_the_real_signature(surface):
    total, misses = _mismatches(surface, lab_only=False)
    assert total > 80
    assert misses == []


def test_a_changed_signature_would_be_caught(surface):
    member = surface["azureml.core.Model"]["methods"]["register"]

    def swapped(workspace, model_name, model_path, tags=None):
        return None

    assert _ours(swapped)[:3] != _real(member)[:3]


def test_public_import_paths_resolve_to_the_same_objects(surface):
    from azureml.core import Model, Webservice
    from azureml.core.model import InferenceConfig
    from azureml.core.webservice import AciWebservice, LocalWebservice

    assert Model is _resolve("azureml.core.model.Model")
    assert Webservice is _resolve("azureml.core.webservice.webservice.Webservice")
    assert issubclass(AciWebservice, Webservice) and issubclass(LocalWebservice, Webservice)
    assert InferenceConfig.__module__.startswith("sim.azureml.core")
