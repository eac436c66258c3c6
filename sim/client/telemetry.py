"""Keep azure-ai-ml's telemetry off.

In a Jupyter kernel (where lab code runs) `MLClient` turns on the Azure Monitor OpenTelemetry exporter to
Application Insights. Lab code cannot pass `enable_telemetry=False`, so the exporter's set-up is replaced
with nothing: the SDK then keeps its internal logger on a NullHandler, as it does outside Jupyter.
"""

from __future__ import annotations


def _no_exporter(connection_string=None) -> None:
    return None


def patch(module) -> None:
    """Replace `setup_azure_monitor` in azure.ai.ml._telemetry.logging_handler with a no-op."""
    module.setup_azure_monitor = _no_exporter
