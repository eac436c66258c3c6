"""MLflow's artifact proxy for a workspace: which folders it serves, the URIs it names them by, and its repository.

In Azure ML the files MLflow logs never live where the client runs: the service reports `azureml://` artifact URIs
and the `azureml-mlflow` plugin reads and writes them through the workspace's service. Here the same holds, so a
sandboxed kernel or job (which cannot see DP100_HOME) logs and loads models as anyone else does:

- **Areas.** Three folders of the workspace are served, each under a name: `mlartifacts` (the MLflow store's
  artifact root: experiments, runs and MLflow 3's logged models), `ExperimentRun` (Azure's own place for a job's
  files in the `azureml` container of the workspace's storage account, which `workspaceartifactstore` names) and
  `models` (the files of registered model versions, read-only as in Azure). Nothing else of the workspace folder
  (its state database, its MLflow store, its key vault) has a name here.
- **URIs.** `azureml://<region>.api.azureml.ms/mlflow/v2.0/<workspace ARM id>/artifacts/<area>/<path>`. The
  service's MLflow answers name these instead of host paths (`ArtifactSpace.public_json`), and the same URIs in
  a request are turned back into the host paths MLflow's store keeps (`ArtifactSpace.host_json`) before MLflow's
  handlers see them, so MLflow's own checks of a model version's source still apply.
- **Routes.** MLflow's own `/api/2.0/mlflow-artifacts/artifacts[/<path>]` handlers (upload PUT, download GET,
  list GET) answer, on `WorkspaceArtifacts`: a repository that refuses a path outside the areas, a write to
  registered models and any delete, each with a sentence and a 4xx status.

The client half is `sim.service.mlflow_client.artifact_repository` (MLflow's `mlflow.artifact_repository` entry
point for the `azureml` scheme).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from mlflow.store.artifact.artifact_repo import StreamUploadMixin  # the upload handler streams to such repositories

MLFLOW_AREA, RUN_FILES_AREA, MODELS_AREA = "mlartifacts", "ExperimentRun", "models"
URI_VERSION = "v2.0"  # the MLflow API version Azure names in its artifact URIs
ARTIFACT_ROUTE = "/api/2.0/mlflow-artifacts/artifacts"
MAX_BODY_BYTES = 100 * 1024 * 1024  # one artifact (or MLflow request) per request; the scoring route's limit too


def invalid(message: str):
    """An MlflowException for a bad value in a request (MLflow answers it with a 400)."""
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def _denied(message: str):
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import PERMISSION_DENIED

    return MlflowException(message, error_code=PERMISSION_DENIED)


def areas(record) -> dict[str, tuple[Path, bool]]:
    """The served folders of a workspace by area name, each with whether clients may write there."""
    from sim.cloud import datastores
    from sim.cloud.command_jobs import artifacts
    from sim.cloud.models import assets_dir

    account = datastores.storage_account_name(record)
    run_files = Path(record.storage_root) / account / artifacts.ARTIFACT_CONTAINER / RUN_FILES_AREA
    return {MLFLOW_AREA: (Path(record.artifact_root), True), RUN_FILES_AREA: (run_files, True),
            MODELS_AREA: (assets_dir(record), False)}


def safe_relative(path: str) -> PurePosixPath:
    """`path` as a relative POSIX path that stays where it is joined (raises INVALID_PARAMETER_VALUE otherwise)."""
    from sim import messages

    text = str(path or "")
    parts = PurePosixPath(text).parts
    if "\\" in text or "\x00" in text or text.startswith("/") or ".." in parts or "~" in parts[:1]:
        raise invalid(messages.MLFLOW_ARTIFACT_PATH_UNSAFE.format(path=path))
    return PurePosixPath(*[p for p in parts if p != "."]) if parts else PurePosixPath()


class WorkspaceArtifacts(StreamUploadMixin):
    """The artifact repository the `mlflow-artifacts` handlers act on: a workspace's areas, one name each.

    A path reads `<area>/<path in the area>`; each area is MLflow's own local repository on its folder, which
    also refuses a link leading out of it. The root lists the areas.
    """

    def __init__(self, served: dict[str, tuple[Path, bool]]):
        self._served = served

    def _area(self, path: str, *, write: bool = False):
        """(MLflow's local repository of the area `path` starts with, the rest of `path`)."""
        from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository

        from sim import messages

        relative = safe_relative(path)
        area = relative.parts[0] if relative.parts else ""
        if area not in self._served:
            raise invalid(messages.MLFLOW_ARTIFACT_AREA_UNKNOWN.format(path=path, areas=", ".join(self._served)))
        folder, writable = self._served[area]
        if write and not writable:
            raise _denied(messages.MLFLOW_ARTIFACT_READ_ONLY.format(path=path, area=area))
        folder.mkdir(parents=True, exist_ok=True)
        return LocalArtifactRepository(folder.as_uri()), str(PurePosixPath(*relative.parts[1:]))

    def get_local_path(self, artifact_path: str) -> str:
        """The host file a download sends (a folder is refused: list it instead)."""
        from sim import messages

        repo, rest = self._area(artifact_path)
        local = repo.get_local_path(rest)
        if Path(local).is_dir():
            raise invalid(messages.MLFLOW_ARTIFACT_IS_A_FOLDER.format(path=artifact_path))
        return local

    def log_artifact_from_stream(self, stream, artifact_file_name: str, artifact_path: str | None = None) -> None:
        """Write one uploaded file, `artifact_path/artifact_file_name`, into its area."""
        from sim import messages

        full = posixpath.join(artifact_path, artifact_file_name) if artifact_path else artifact_file_name
        repo, rest = self._area(full, write=True)
        head, tail = posixpath.split(rest)
        if not tail or tail == ".":
            raise invalid(messages.MLFLOW_ARTIFACT_AREA_UNKNOWN.format(path=full, areas=", ".join(self._served)))
        repo.log_artifact_from_stream(stream, tail, head or None)

    def list_artifacts(self, path: str | None = None) -> list:
        """What a folder holds (the areas at the root); paths keep their area name."""
        from mlflow.entities import FileInfo

        if not path:
            return [FileInfo(name, True, None) for name in self._served]
        repo, rest = self._area(path)
        area = safe_relative(path).parts[0]
        return [FileInfo(posixpath.join(area, f.path), f.is_dir, f.file_size)
                for f in repo.list_artifacts(rest if rest != "." else None)]

    async def log_artifact_from_async_stream(self, chunks, artifact_file_name: str, artifact_path=None) -> None:
        """Not used by the service's (synchronous) handlers; refused with a sentence rather than half done."""
        from sim import messages

        raise invalid(messages.MLFLOW_ARTIFACT_ASYNC_UPLOAD)

    def delete_artifacts(self, artifact_path: str | None = None) -> None:
        """Refused: the workspace keeps what its runs and models logged."""
        from sim import messages

        raise _denied(messages.MLFLOW_ARTIFACT_NO_DELETE.format(path=artifact_path or "/"))


class ArtifactSpace:
    """One request's view of a workspace's artifacts: its areas, and its URIs both ways (the record read once)."""

    def __init__(self, record):
        self.record = record
        self.prefix = f"azureml://{record.location}.api.azureml.ms/mlflow/{URI_VERSION}{record.arm_id}/artifacts/"
        self.served = areas(record)
        # any region and MLflow API version name the same workspace's artifacts
        self._pattern = re.compile(r"mlflow/v\d+\.\d+" + re.escape(record.arm_id) + r"/artifacts(?=/|$)",
                                   re.IGNORECASE)

    def repository(self) -> WorkspaceArtifacts:
        """The repository MLflow's `mlflow-artifacts` handlers act on for this workspace."""
        return WorkspaceArtifacts(self.served)

    def to_public(self, text: str) -> str | None:
        """The `azureml://` URI of a `file:` URI inside an area, or None for anything else."""
        from mlflow.utils.file_utils import local_file_uri_to_path

        if not text.startswith("file:"):
            return None
        path = Path(local_file_uri_to_path(text)).resolve()
        for area, (folder, _) in self.served.items():
            if path.is_relative_to(folder.resolve()):
                inner = path.relative_to(folder.resolve()).as_posix()
                return self.prefix + quote(area if inner == "." else f"{area}/{inner}")
        return None

    def is_public(self, text: str) -> bool:
        """True for an `azureml://` artifact URI of this workspace (any region and API version)."""
        if not text.lower().startswith("azureml://"):
            return False
        _, _, path = text[len("azureml://"):].partition("/")
        return self._pattern.match(path) is not None

    def to_host(self, uri: str) -> str:
        """The `file:` URI an `azureml://` artifact URI of this workspace names (INVALID_PARAMETER_VALUE when its
        path leaves the areas)."""
        from sim import messages

        _, _, path = uri[len("azureml://"):].partition("/")
        inner = unquote(path[self._pattern.match(path).end():]).removeprefix("/")
        relative = safe_relative(inner)
        area = relative.parts[0] if relative.parts else ""
        if area not in self.served:
            raise invalid(messages.MLFLOW_ARTIFACT_AREA_UNKNOWN.format(path=inner, areas=", ".join(self.served)))
        folder = self.served[area][0]
        target = folder.joinpath(*relative.parts[1:])
        if not target.resolve().is_relative_to(folder.resolve()):
            raise invalid(messages.MLFLOW_ARTIFACT_PATH_UNSAFE.format(path=inner))
        return target.as_uri()

    def public_json(self, value):
        """`value` (parsed JSON) with every `file:` URI inside an area replaced by its `azureml://` URI."""
        return _walk(value, lambda s: self.to_public(s) or s)

    def host_json(self, value):
        """`value` (parsed JSON) with every `azureml://` artifact URI of this workspace replaced by its `file:` URI."""
        return _walk(value, lambda s: self.to_host(s) if self.is_public(s) else s)


def _walk(value, change):
    """`value` with `change` applied to every string in it (dicts and lists rebuilt, keys untouched)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {k: _walk(v, change) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, change) for v in value]
    return value
