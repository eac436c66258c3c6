"""Environments (ARM): containers and versions of a workspace, curated ones included; the `azureml` registry's.

`ml_client.environments.get(name, version=...)`, `get(name, label="latest")`, `list()`, `list(name=...)`,
`create_or_update(Environment(image=..., conda_file=...))` (auto-versioned: the SDK reads the container's
`nextVersion`/`latestVersion`, tries the latest and, on 409, the next), `archive`/`restore`. Curated environments
live in Azure's `azureml` registry and show in every workspace; both routes read `sim.cloud.environments.curated`.
"""

from __future__ import annotations

import yaml
from werkzeug.routing import Rule

from sim.cloud.environments import assets
from sim.rest._errors import bad_request
from sim.rest._shapes import ARM_HOST, WS, properties_of, resource, workspace_id
from sim.rest.workspaces import workspace_record

ENVS = f"{WS}/environments"
REGISTRY = ("/mferp/managementfrontend/subscriptions/<sub>/resourceGroups/<rg>/providers/"
            "Microsoft.MachineLearningServices/registries/<reg>")
DATA_PLANE = "<region>.api.azureml.ms"
VIEWS = {"activeonly": assets.ACTIVE_ONLY, "archivedonly": assets.ARCHIVED_ONLY, "all": assets.ALL}
CURATED_REGISTRY = "azureml"
# Where the simulated `azureml` registry says it lives (Azure's is in a Microsoft subscription).
REGISTRY_SUBSCRIPTION, REGISTRY_RESOURCE_GROUP = "00000000-0000-0000-0000-0000000a2e01", "azureml-registries"


def _iso(timestamp: float) -> str:
    from sim.cloud.runs.lifecycle import iso

    return iso(timestamp)


def _view(request) -> str:
    return VIEWS.get(str(request.args.get("listViewType", "ActiveOnly")).lower(), assets.ACTIVE_ONLY)


def conda_text(definition: dict) -> str | None:
    """The conda file of a definition as YAML text (None for an image-only environment)."""
    python = definition.get("python") or {}
    conda = python.get("condaDependencies")
    if python.get("userManagedDependencies") or not conda:
        return None
    return yaml.safe_dump(conda, sort_keys=False)


def version_properties(row: dict) -> dict:
    """The `properties` of an EnvironmentVersion resource."""
    definition = row["definition"]
    image = definition.get("image") if row["curated"] else (definition.get("docker") or {}).get("baseImage")
    return {"description": definition.get("description"), "tags": definition.get("tags") or {},
            "properties": definition.get("properties") or {}, "isArchived": row["archived"],
            "isAnonymous": bool(definition.get("isAnonymous")),
            "environmentType": "Curated" if row["curated"] else "UserCreated", "image": image,
            "condaFile": conda_text(definition), "build": definition.get("build"),
            "osType": definition.get("osType") or "Linux", "inferenceConfig": definition.get("inferenceConfig"),
            "autoRebuild": "OnBaseImageUpdate", "stage": "Development", "provisioningState": "Succeeded"}


def version_json(scope: str, row: dict) -> dict:
    """An EnvironmentVersion resource under `scope` (a workspace or registry ARM id)."""
    arm_id = f"{scope}/environments/{row['name']}/versions/{row['version']}"
    return resource(arm_id, _type(scope, "environments/versions"), version_properties(row),
                    created=_iso(row["created"]))


def container_json(scope: str, found: dict) -> dict:
    """An EnvironmentContainer resource under `scope`."""
    props = {"description": found["description"], "tags": found["tags"], "properties": {},
             "isArchived": found["archived"], "latestVersion": found["latestVersion"],
             "nextVersion": found["nextVersion"], "provisioningState": "Succeeded"}
    return resource(f"{scope}/environments/{found['name']}", _type(scope, "environments"), props,
                    created=_iso(found["created"]))


def _type(scope: str, kind: str) -> str:
    return f"{'registries' if 'registries/' in scope else 'workspaces'}/{kind}"


def spec_from_properties(props: dict) -> dict:
    """What the service keeps of a PUT EnvironmentVersion body (normalized, so a GET-then-PUT is unchanged)."""
    if props.get("build") is None and not props.get("image"):
        raise bad_request("An environment needs an image or a build context (properties.image or properties.build).")
    conda = props.get("condaFile")
    try:
        conda = yaml.safe_load(conda) if isinstance(conda, str) else conda
    except yaml.YAMLError as exc:
        raise bad_request(f"properties.condaFile is not valid YAML: {exc}") from exc
    return {"image": props.get("image"), "conda": conda or None, "description": props.get("description"),
            "tags": props.get("tags") or {}, "properties": props.get("properties") or {},
            "osType": props.get("osType") or "Linux", "build": props.get("build"),
            "inferenceConfig": props.get("inferenceConfig"), "isAnonymous": bool(props.get("isAnonymous")),
            "isArchived": bool(props.get("isArchived"))}


def _listed(request, rows: list[dict]) -> list[dict]:
    if "desc" in str(request.args.get("$orderBy", "")).lower():
        rows = list(reversed(rows))
    top = request.args.get("$top")
    return rows[: int(top)] if top and top.isdigit() else rows


# ---- workspace ------------------------------------------------------------------------------------------

def list_containers(request, sub, rg, ws):
    """List the environments (curated ones included), archived or not as asked."""
    record = workspace_record(sub, rg, ws)
    scope = workspace_id(sub, rg, ws)
    return {"value": [container_json(scope, c) for c in assets.list_containers(record, _view(request))]}


def get_container(request, sub, rg, ws, name):
    """An environment with its latest and next version (404 when it has none)."""
    record = workspace_record(sub, rg, ws)
    return container_json(workspace_id(sub, rg, ws), assets.container(record, name))


def put_container(request, sub, rg, ws, name):
    """Archive or restore an environment."""
    record = workspace_record(sub, rg, ws)
    found = assets.set_archived(record, name, bool(properties_of(request).get("isArchived")))
    return container_json(workspace_id(sub, rg, ws), found)


def list_versions(request, sub, rg, ws, name):
    """List an environment's versions ($orderBy createdtime desc and $top give the latest)."""
    record = workspace_record(sub, rg, ws)
    scope = workspace_id(sub, rg, ws)
    rows = _listed(request, assets.list_versions(record, name, _view(request)))
    return {"value": [version_json(scope, r) for r in rows]}


def get_version(request, sub, rg, ws, name, version):
    """One environment version (404 when missing)."""
    record = workspace_record(sub, rg, ws)
    return version_json(workspace_id(sub, rg, ws), assets.get_version(record, name, version))


def put_version(request, sub, rg, ws, name, version):
    """Create a version (201), re-state it unchanged (200) or archive it; a changed version is 409."""
    record = workspace_record(sub, rg, ws)
    created, row = assets.put_version(record, name, version, spec_from_properties(properties_of(request)))
    return (201 if created else 200), version_json(workspace_id(sub, rg, ws), row)


# ---- the azureml registry (curated environments) --------------------------------------------------------

def _curated_only(reg: str, name: str | None = None):
    from sim.cloud.environments import curated
    from sim.rest._errors import not_found

    if reg.lower() != CURATED_REGISTRY or (name is not None and name not in curated.names()):
        raise not_found("Environment" if name else "Registry", name or reg)


def _registry_scope(sub, rg, reg) -> str:
    return f"azureml://registries/{reg}"  # registry assets are named by azureml:// ids, not ARM ids


def registry_discovery(request, region, reg):
    """Where the azureml registry of curated environments and built-in components lives (registry discovery)."""
    from sim.cloud import registry

    registry.check_registry(reg)  # 404 naming the one registry there is
    return {"registryName": CURATED_REGISTRY, "tenantId": "72f988bf-0000-0000-0000-000000000000",
            "primaryRegion": region, "regions": [region], "subscriptionId": REGISTRY_SUBSCRIPTION,
            "resourceGroup": REGISTRY_RESOURCE_GROUP, "primaryRegionResourceProviderUri": f"https://{region}.api.azureml.ms/"}


def registry_list_versions(request, region, sub, rg, reg, name):
    """List a curated environment's versions in the azureml registry."""
    _curated_only(reg, name)
    rows = _listed(request, assets.list_versions(None, name, _view(request)))
    return {"value": [version_json(_registry_scope(sub, rg, reg), r) for r in rows]}


def registry_get_version(request, region, sub, rg, reg, name, version):
    """One curated environment version in the azureml registry."""
    _curated_only(reg, name)
    return version_json(_registry_scope(sub, rg, reg), assets.get_version(None, name, version))


def registry_get_container(request, region, sub, rg, reg, name):
    """A curated environment in the azureml registry."""
    _curated_only(reg, name)
    return container_json(_registry_scope(sub, rg, reg), assets.container(None, name))


ROUTES = [
    Rule(ENVS, host=ARM_HOST, endpoint=list_containers, methods=["GET"]),
    Rule(f"{ENVS}/<name>", host=ARM_HOST, endpoint=get_container, methods=["GET"]),
    Rule(f"{ENVS}/<name>", host=ARM_HOST, endpoint=put_container, methods=["PUT"]),
    Rule(f"{ENVS}/<name>/versions", host=ARM_HOST, endpoint=list_versions, methods=["GET"]),
    Rule(f"{ENVS}/<name>/versions/<version>", host=ARM_HOST, endpoint=get_version, methods=["GET"]),
    Rule(f"{ENVS}/<name>/versions/<version>", host=ARM_HOST, endpoint=put_version, methods=["PUT"]),
    Rule("/registrymanagement/v1.0/registries/<reg>/discovery", host=DATA_PLANE, endpoint=registry_discovery,
         methods=["GET"]),
    Rule(f"{REGISTRY}/environments/<name>", host=DATA_PLANE, endpoint=registry_get_container, methods=["GET"]),
    Rule(f"{REGISTRY}/environments/<name>/versions", host=DATA_PLANE, endpoint=registry_list_versions,
         methods=["GET"]),
    Rule(f"{REGISTRY}/environments/<name>/versions/<version>", host=DATA_PLANE, endpoint=registry_get_version,
         methods=["GET"]),
]
