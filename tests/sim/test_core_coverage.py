"""The generated coverage page (sim/COVERAGE.md) and the rules that classify members."""

from __future__ import annotations

import subprocess
import sys

from sim import coverage
from sim.azureml._common.not_simulated import not_simulated


class _Fake:
    def supported(self, workspace, name=None):
        return workspace, name

    def stub(self, workspace, name=None):
        """Looks real, but only refuses."""
        not_simulated("_Fake.stub")

    def documented_stub(self, workspace, name=None):
        """Not simulated: explained in the docstring."""
        raise RuntimeError("nope")

    def renamed(self, ws, name=None):
        return ws

    def partly_stub(self, workspace, name=None):
        if name:
            not_simulated("_Fake.partly_stub(name=...)")
        return workspace


ENTRY = {"params": [["self", "POSITIONAL_OR_KEYWORD", False], ["workspace", "POSITIONAL_OR_KEYWORD", False],
                    ["name", "POSITIONAL_OR_KEYWORD", True]], "used_in_labs": True}


def test_member_classification():
    status = {m: coverage._member_status(_Fake, m, ENTRY)
              for m in ("supported", "stub", "documented_stub", "renamed", "partly_stub", "absent")}
    assert status == {"supported": "supported", "stub": "not simulated", "documented_stub": "not simulated",
                      "renamed": "signature differs", "partly_stub": "supported", "absent": "missing"}


def test_signature_rule_matches_the_shared_tool():
    def extra_optional(workspace, name=None, _debug=False):
        return workspace

    def extra_required(workspace, name=None, debug=None, *, must):
        return workspace

    def name_required(workspace, name):
        return workspace

    assert coverage.signature_matches(extra_optional, ENTRY)
    assert not coverage.signature_matches(extra_required, ENTRY)
    assert not coverage.signature_matches(name_required, ENTRY)


def test_core_classes_are_listed_as_supported():
    items = {c.name: c for c in coverage.collect()}
    workspace = items["azureml.core.Workspace"]
    assert workspace.members["from_config"] == "supported"
    assert workspace.members["list_keys"] == "not simulated"
    assert items["azureml.core.compute.AksCompute"].members["provisioning_configuration"] == "not simulated"
    assert items["azureml.core.compute.AmlCompute"].count("supported", lab_only=True) == 3


def test_committed_coverage_page_is_up_to_date():
    result = subprocess.run([sys.executable, "-m", "sim", "coverage", "--check"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr + " (run `python -m sim coverage` and commit sim/COVERAGE.md)"
