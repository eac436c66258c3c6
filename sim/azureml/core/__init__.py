"""Simulated `azureml.core`: the SDK v1 entry points, exported lazily.

Each name is imported from its own module on first use, through the module `__getattr__` below, so
owners of those modules never edit this file and `import azureml.core` stays cheap.
"""

from __future__ import annotations

import importlib

VERSION = "1.61.0"

# public name -> module (relative to this package) that defines it
_EXPORTS = {
    "Workspace": ".workspace",
    "Experiment": ".experiment",
    "Run": ".run",
    "ScriptRun": ".script_run",
    "ScriptRunConfig": ".script_run_config",
    "RunConfiguration": ".runconfig",
    "Environment": ".environment",
    "Dataset": ".dataset",
    "Datastore": ".datastore",
    "Model": ".model",
    "ComputeTarget": ".compute",
    "Keyvault": ".keyvault",
    "Webservice": ".webservice",
    "Image": ".image",
    "ContainerRegistry": ".container_registry",
    "LinkedService": ".linked_service",
    "SynapseWorkspaceLinkedServiceConfiguration": ".linked_service",
    "PrivateEndPoint": ".private_endpoint",
    "PrivateEndPointConfig": ".private_endpoint",
}

__all__ = ["VERSION", *_EXPORTS]


def __getattr__(name: str):
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'azureml.core' has no attribute '{name}'")
    try:
        module = importlib.import_module(module_name, __name__)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.endswith(module_name.lstrip(".")):
            raise ImportError(f"cannot import name '{name}' from 'azureml.core': azureml.core{module_name} "
                              "is not simulated yet (see sim/COVERAGE.md).") from exc
        raise
    value = getattr(module, name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
