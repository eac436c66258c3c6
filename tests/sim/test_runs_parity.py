"""Signature parity of the SIM-RUNS classes with the real azureml SDK (from the dumped reference surface).

Same rule as ../shared/tools/signature_parity.py (see tests/sim/parity.py): every real parameter under the
same name, in the same order, equally optional, and nothing extra that is required. Lab-used members must
match 100%; so must every public method of these classes, so learners who go beyond the labs meet the real
signatures.
"""

from __future__ import annotations

import pytest

from tests.sim.parity import lab_used_attributes_missing, method_misses

MY_CLASSES = [
    "azureml.core.Experiment", "azureml.core.Run", "azureml.core.ScriptRun", "azureml.core.ScriptRunConfig",
    "azureml.core.RunConfiguration", "azureml.core.runconfig.DockerConfiguration", "azureml.core.Environment",
    "azureml.core.environment.PythonSection", "azureml.core.environment.DockerSection",
    "azureml.core.conda_dependencies.CondaDependencies", "azureml.core.run._SubmittedRun",
    "azureml.core._portal.HasExperimentPortal", "azureml.widgets.RunDetails",
]
pytestmark = pytest.mark.usefixtures("sim_active")


def test_lab_used_members_match_100_percent():
    misses, total = method_misses(MY_CLASSES, lab_only=True, public_only=False)
    assert total >= 30
    assert misses == [], f"{len(misses)}/{total} lab-used members differ"


def test_every_public_method_matches():
    # absent features raise "not simulated" rather than being missing, so every public method is there
    misses, total = method_misses(MY_CLASSES, lab_only=False)
    assert total > 100
    assert misses == []


def test_lab_used_properties_and_attributes_exist():
    from azureml.core import Environment, RunConfiguration
    from azureml.core.environment import DockerSection, PythonSection

    instances = {"azureml.core.Environment": Environment("parity"), "azureml.core.RunConfiguration":
                 RunConfiguration(), "azureml.core.environment.PythonSection": PythonSection(),
                 "azureml.core.environment.DockerSection": DockerSection()}
    assert lab_used_attributes_missing(MY_CLASSES, instances) == []
