"""The simulated Azure ML service as an HTTP application: Azure's REST shapes over `sim.cloud`.

`sim.rest.application` is a plain WSGI callable. It answers the three faces of Azure that the real
`azure-ai-ml` SDK talks to, told apart by host as in Azure:

- the ARM control plane (`management.azure.com`): resource groups, workspaces, compute, datastores, data,
  environments, code, jobs, models, online endpoints and deployments;
- the workspace data plane (`<region>.api.azureml.ms`): discovery, run history, MLflow artifacts;
- blob storage (`<account>.blob.core.windows.net`): the datastores' containers.

It keeps no state in memory: every request reads and writes `sim.cloud` (under DP100_HOME), so the same
application can run in the caller's process (as now, through `sim.client`) or in a service process of its own.
Errors are Azure's error bodies (`{"error": {"code", "message"}}`) with Azure's HTTP statuses, so the SDK raises
its own exceptions with its own messages.
"""

from sim.rest._app import application

__all__ = ["application"]
