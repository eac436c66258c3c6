"""Signature parity of SIM-CORE's classes with the real azureml SDK (the rule of signature_parity.py).

Stricter than the shared tool: every public method of these classes is checked, not only the ones the
labs use, including members that only raise the "not simulated" error.
"""

from __future__ import annotations

import pytest

from sim import coverage

CORE_CLASSES = [
    "azureml.core.Workspace",
    "azureml.core.ComputeTarget",
    "azureml.core.compute.AmlCompute",
    "azureml.core.compute.ComputeInstance",
    "azureml.core.compute.amlcompute.AmlComputeProvisioningConfiguration",
    "azureml.core.compute.amlcompute.AmlComputeStatus",
    "azureml.core.compute.computeinstance.ComputeInstanceProvisioningConfiguration",
    "azureml.core.Keyvault",
    "azureml.core.authentication.AbstractAuthentication",
    "azureml.core.authentication.InteractiveLoginAuthentication",
    "azureml.core.authentication.AzureCliAuthentication",
    "azureml.core.authentication.MsiAuthentication",
    "azureml.core.authentication.ServicePrincipalAuthentication",
]


@pytest.fixture(scope="module")
def reference():
    return coverage.load_reference()


def _exception_classes(reference):
    return sorted(name for name in reference["classes"] if name.startswith("azureml.exceptions."))


def _public_methods(entry):
    return {m: e for m, e in entry["methods"].items() if not m.startswith("_") or m == "__init__"}


def test_core_classes_have_every_method_with_the_real_signature(reference):
    misses, total = [], 0
    for name in CORE_CLASSES + _exception_classes(reference):
        cls = coverage.resolve(name)
        for method, entry in _public_methods(reference["classes"][name]).items():
            total += 1
            fn = getattr(cls, method, None)
            if fn is None or not coverage.signature_matches(fn, entry):
                misses.append(f"{name}.{method}: {coverage.facade_params(fn) if fn else 'missing'} "
                              f"!= {coverage.reference_params(entry)}")
    assert total > 150
    assert misses == [], "\n".join(misses)


def test_core_classes_have_every_property(reference):
    missing = [f"{name}.{prop}" for name in CORE_CLASSES
               for prop in reference["classes"][name]["properties"] if not hasattr(coverage.resolve(name), prop)]
    assert missing == []


def test_exception_hierarchy_matches_the_real_mro(reference):
    for name in _exception_classes(reference):
        cls = coverage.resolve(name)
        real = [entry.rsplit(".", 1)[-1] for entry in reference["classes"][name]["mro"]]
        mine = [klass.__name__ for klass in cls.__mro__ if klass is not object]
        # the REST client's ServiceException derives from msrest classes the simulator does not carry
        expected = [n for n in real if n not in ("ErrorResponseException", "HttpOperationError", "ClientException")]
        assert mine == expected, name


def test_compute_target_exception_is_importable_where_the_labs_import_it():
    from sim.azureml.core.compute_target import ComputeTargetException
    from sim.azureml.exceptions import ComputeTargetException as Same

    assert ComputeTargetException is Same


def test_version_constant(reference):
    import sim.azureml.core as core

    assert core.VERSION == reference["sdk_version"].split(".post")[0]
