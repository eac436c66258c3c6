"""The simulated model registry (state and rules; the SDK shapes live in `sim.azureml.core.model`).

Read API for graders and the Studio page: `query`, `latest_versions`, `find_by_id`, `get_by_id`.
Every version is mirrored as an MLflow registered model version in the workspace's MLflow store.
SDK v2's view of the same versions (type, URI, job, archive flag, containers) is `sim.cloud.models.assets`;
`sim.cloud.models.sources` resolves the URIs v2 registers from (datastore paths, job outputs, `runs:/`).
"""

from sim.cloud.models._registry import (
    DELETE_ACTION,
    WRITE_ACTION,
    ModelVersion,
    add_properties,
    assets_dir,
    copy_files,
    delete,
    find_by_id,
    get_by_id,
    latest_versions,
    query,
    register,
    staging_dir,
    sync_with_mlflow,
    update,
    update_tags,
)

__all__ = [
    "DELETE_ACTION", "WRITE_ACTION", "ModelVersion", "add_properties", "assets_dir", "copy_files", "delete",
    "find_by_id", "get_by_id", "latest_versions", "query", "register", "staging_dir", "sync_with_mlflow", "update",
    "update_tags",
]
