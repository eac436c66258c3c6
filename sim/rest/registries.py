"""The `azureml` registry's components, on the registry data plane that `MLClient(registry_name="azureml")` uses.

The SDK first asks registry discovery where the registry lives (`sim.rest.environments.registry_discovery`), then
sends `https://<region>.api.azureml.ms/mferp/managementfrontend/subscriptions/<s>/resourceGroups/<rg>/providers/
Microsoft.MachineLearningServices/registries/azureml/components/...` at api-version 2021-10-01-dataplanepreview:
`components.get(name, version=...)` reads a version; `get(name, label="latest")` lists the versions newest first
with `$top=1`; `components.list()` lists the containers. The registry is read-only (no PUT route: a create answers
that it is not simulated). State: `sim.cloud.registry`.
"""

from __future__ import annotations

from werkzeug.routing import Rule

from sim.cloud import registry
from sim.rest import _assets
from sim.rest.environments import DATA_PLANE, REGISTRY

COMPONENTS = f"{REGISTRY}/components"


def _scope(reg: str) -> str:
    return f"azureml://registries/{reg}"  # registry assets are named by azureml:// ids, not ARM ids


def version_json(reg: str, stored) -> dict:
    """One registry component version as the registry data plane returns it."""
    spec = stored.spec
    props = {"componentSpec": spec["componentSpec"], "description": spec.get("description"),
             "tags": spec.get("tags") or {}, "properties": {}, "isAnonymous": False, "isArchived": False,
             "provisioningState": "Succeeded"}
    arm_id = f"{_scope(reg)}/components/{stored.name}/versions/{stored.version}"
    return _assets.envelope(arm_id, "registries/components/versions", props, stored.created_time,
                            stored.modified_time)


def _container_json(reg: str, box) -> dict:
    return _assets.envelope(f"{_scope(reg)}/components/{box.name}", "registries/components",
                            _assets.container_properties(box), box.created_time, box.modified_time)


def list_containers(request, region, sub, rg, reg):
    """List the registry's components (one entry per name)."""
    registry.check_registry(reg)
    return {"value": [_container_json(reg, box) for box in registry.containers()]}


def get_container(request, region, sub, rg, reg, name):
    """A registry component by name, with its latest version (404 when the registry has no such component)."""
    registry.check_registry(reg)
    return _container_json(reg, registry.container(name))


def list_versions(request, region, sub, rg, reg, name):
    """A registry component's versions, newest first (`$top=1` is how the SDK reads `label="latest"`)."""
    registry.check_registry(reg)
    found = registry.versions(name)
    if not found:
        registry.container(name)  # 404 with the registry's own message
    return {"value": [version_json(reg, v) for v in _assets.top(request, found)]}


def get_version(request, region, sub, rg, reg, name, version):
    """One registry component version (404 when it does not exist)."""
    registry.check_registry(reg)
    return version_json(reg, registry.component(name, version))


ROUTES = [
    Rule(COMPONENTS, host=DATA_PLANE, endpoint=list_containers, methods=["GET"]),
    Rule(f"{COMPONENTS}/<name>", host=DATA_PLANE, endpoint=get_container, methods=["GET"]),
    Rule(f"{COMPONENTS}/<name>/versions", host=DATA_PLANE, endpoint=list_versions, methods=["GET"]),
    Rule(f"{COMPONENTS}/<name>/versions/<version>", host=DATA_PLANE, endpoint=get_version, methods=["GET"]),
]
