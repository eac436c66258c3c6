"""Azure's `azureml` registry: the built-in components every workspace can use (SDK v2 `MLClient(registry_name=...)`).

Azure keeps Microsoft's own components in a registry outside any workspace; a pipeline names one by its registry
id, `azureml://registries/azureml/components/<name>/versions/<version>`. The simulated registry holds the
Responsible AI components of the DP-100 lab (constructor, error analysis, explanation, counterfactuals, gather),
as honest stand-ins: each really computes its insight with scikit-learn (`sim/cloud/registry/rai/`, the
components' code asset), where Azure's run the Responsible AI Toolbox, which cannot run on this project's stack.
The specs are data (`components/<name>.yaml`); every component has the one version `RAI_VERSION`.

The registry is read-only here, as it is for a learner in Azure. Curated environments, which Azure keeps in the
same registry, are served by `sim.cloud.environments.curated`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from sim import messages
from sim.cloud.assets import AssetContainer, AssetVersion
from sim.cloud.errors import NotFound

NAME = "azureml"
RAI_VERSION = "0.18.0"
# The stand-ins' code asset and environment, named as Azure names registry assets.
CODE_NAME = "rai-tabular-standin"
CODE_ID = f"azureml://registries/{NAME}/codes/{CODE_NAME}/versions/1"
ENVIRONMENT = "AzureML-responsibleai-0.21-ubuntu20.04-py38-cpu"
ENVIRONMENT_ID = f"azureml://registries/{NAME}/environments/{ENVIRONMENT}/versions/9"
PUBLISHED = "2025-06-02T10:00:00+00:00"  # when the simulated registry's components say they were published
KIND, FAMILY = "components", "component"
_SPECS = Path(__file__).with_name("components")
_COMPONENT_ID = re.compile(r"^azureml://registries/(?P<registry>[^/]+)/components/(?P<name>[^/]+)"
                           r"/(?:versions/(?P<version>[^/]+)|labels/(?P<label>[^/]+))/?$", re.IGNORECASE)
# A pipeline node's code reference may have lost its `azureml:` scheme on the way (`//registries/...`).
_CODE_ID = re.compile(r"^(?:azureml:)?//registries/(?P<registry>[^/]+)/codes/(?P<name>[^/]+)/versions/[^/]+/?$",
                      re.IGNORECASE)


def is_registry_component(reference: str) -> bool:
    """True for a component named by its registry id (`azureml://registries/<r>/components/...`)."""
    return _COMPONENT_ID.match(str(reference or "")) is not None


def check_registry(registry: str) -> None:
    """Refuse a registry other than `azureml` (the only one simulated).

    Raises:
        NotFound: any other registry name.
    """
    if str(registry).lower() != NAME:
        raise NotFound(FAMILY, messages.REGISTRY_NOT_FOUND.format(registry=registry, known=NAME))


@cache
def _catalogue() -> dict[str, dict]:
    """{component name: its spec as the REST API's componentSpec}, read once from the YAML files."""
    found = {}
    for path in sorted(_SPECS.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[spec["name"]] = _as_component_spec(spec)
    return found


def _as_component_spec(spec: dict) -> dict:
    """A YAML spec with the registry's version, code and environment, shaped as Azure's componentSpec."""
    return {"$schema": "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json",
            **spec, "version": RAI_VERSION, "code": CODE_ID, "environment": ENVIRONMENT_ID,
            "tags": {"Preview": "", "simulated": "stand-in"}}


def names() -> list[str]:
    """The registry's component names, sorted."""
    return sorted(_catalogue())


def component(name: str, version: str) -> AssetVersion:
    """One component version of the registry.

    Raises:
        NotFound: no component of that name, or not that version.
    """
    spec = _catalogue().get(name)
    if spec is None or str(version) != RAI_VERSION:
        raise NotFound(FAMILY, messages.REGISTRY_COMPONENT_NOT_FOUND.format(
            name=name, version=version, registry=NAME, known=", ".join(names())))
    return _version(name, spec)


def versions(name: str) -> list[AssetVersion]:
    """A component's versions, newest first ([] for a name the registry does not have)."""
    spec = _catalogue().get(name)
    return [] if spec is None else [_version(name, spec)]


def container(name: str) -> AssetContainer:
    """A component name with its latest version.

    Raises:
        NotFound: the registry has no component of that name.
    """
    if name not in _catalogue():
        raise NotFound(FAMILY, messages.REGISTRY_COMPONENT_NOT_FOUND.format(
            name=name, version="latest", registry=NAME, known=", ".join(names())))
    return AssetContainer(kind=KIND, name=name, description=_catalogue()[name].get("description"),
                          latest_version=RAI_VERSION, next_version=None, created_time=PUBLISHED,
                          modified_time=PUBLISHED)


def containers() -> list[AssetContainer]:
    """Every component of the registry."""
    return [container(name) for name in names()]


def resolve_component(reference: str) -> dict:
    """The componentSpec a registry id names (a `labels/latest` id reads the latest version).

    Raises:
        NotFound: another registry, or a component or version it does not have.
    """
    match = _COMPONENT_ID.match(str(reference))
    if match is None:
        raise NotFound(FAMILY, messages.REGISTRY_COMPONENT_NOT_FOUND.format(
            name=reference, version="?", registry=NAME, known=", ".join(names())))
    check_registry(match["registry"])
    return dict(component(match["name"], match["version"] or RAI_VERSION).spec["componentSpec"])


def code_folder(code_id: str) -> Path | None:
    """The folder a registry code id names (None when `code_id` is not a registry code id).

    Raises:
        NotFound: a registry code asset other than the stand-ins' code.
    """
    match = _CODE_ID.match(str(code_id or ""))
    if match is None:
        return None
    check_registry(match["registry"])
    if match["name"] != CODE_NAME:
        raise NotFound(FAMILY, messages.REGISTRY_CODE_NOT_FOUND.format(code=code_id))
    return Path(__file__).with_name("rai")


def _version(name: str, spec: dict) -> AssetVersion:
    stored = {"componentSpec": spec, "description": spec.get("description"), "tags": dict(spec["tags"]),
              "isAnonymous": False}
    return AssetVersion(kind=KIND, name=name, version=RAI_VERSION, spec=stored, created_time=PUBLISHED,
                        modified_time=PUBLISHED)
