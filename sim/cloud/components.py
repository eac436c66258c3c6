"""Registered components (SDK v2 / CLI v2 `components`): versioned command-component specs in the workspace.

Registration only: a component version keeps its spec (inputs, outputs, command, code asset, environment) so
`az ml component create` (lab 05's set-up) and `ml_client.components.get/list` work. Running components in a
pipeline is the pipelines engine's work, which is not simulated yet (a pipeline job answers 501).
"""

from __future__ import annotations

from sim.cloud import assets

KIND = "components"
COMPONENT = "component"  # the error family (only the REST service raises it)
WHAT = "Component"


def create_or_update(record, name: str, version: str, spec: dict, *, description=None, tags=None,
                     is_anonymous: bool = False) -> tuple[assets.AssetVersion, bool]:
    """Register a component version; an existing version keeps its spec (only description and tags change)."""
    stored = {"componentSpec": spec, "description": description, "tags": tags or {}, "isAnonymous": is_anonymous}
    return assets.put_version(record, KIND, name, str(version), stored, family=COMPONENT,
                              immutable=("componentSpec",))


def get(record, name: str, version: str) -> assets.AssetVersion:
    """One component version (404 when it does not exist)."""
    return assets.get_version(record, KIND, name, str(version), family=COMPONENT, what=WHAT)


def latest(record, name: str) -> assets.AssetVersion:
    """A component's newest version."""
    return assets.latest_version(record, KIND, name, family=COMPONENT, what=WHAT)


def versions(record, name: str, view: str = assets.ACTIVE_ONLY) -> list[assets.AssetVersion]:
    """A component's versions, newest first."""
    return assets.list_versions(record, KIND, name, view)


def container(record, name: str) -> assets.AssetContainer:
    """A component name with its latest and next versions."""
    return assets.get_container(record, KIND, name, family=COMPONENT, what=WHAT)


def containers(record, view: str = assets.ACTIVE_ONLY) -> list[assets.AssetContainer]:
    """Every component name of the workspace."""
    return assets.list_containers(record, KIND, view)
