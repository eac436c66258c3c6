"""How the real Azure client libraries reach the simulated service instead of Azure.

`install()` (called by `sim.activate()`) arranges, lazily so that nothing heavy is imported up front:
- azure-core's requests transport, and plain `requests`, send Azure's hosts to `sim.rest` (see `transport`);
- azure-identity's credentials get a token from the simulator, never from a login endpoint (`identity`);
- azure-ai-ml's telemetry exporter to Application Insights stays off (`telemetry`);
- importing azure-ai-ml gets the service's job host ready in the background (`service`).
MLflow reaches a workspace through its `azureml://` plugin (`sim.client.mlflow_plugin`), not through here.
"""

from __future__ import annotations

from sim.client import _after_import

__all__ = ["install", "uninstall"]

PATCHES = {
    "azure.core.pipeline.transport._requests_basic": ("sim.client.transport", "patch"),
    "requests.sessions": ("sim.client.transport", "patch_requests"),
    "azure.identity": ("sim.client.identity", "patch"),
    "azure.ai.ml._telemetry.logging_handler": ("sim.client.telemetry", "patch"),
    "azure.ai.ml": ("sim.client.service", "on_sdk_import"),
}


def install() -> None:
    """Route the Azure client libraries to the simulator (now if imported, else when they are imported)."""
    _after_import.install(PATCHES)


def uninstall() -> None:
    """Stop patching modules imported from now on (modules already patched stay so)."""
    _after_import.uninstall()
