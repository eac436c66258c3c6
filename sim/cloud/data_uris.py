"""Where the data URIs of Azure ML point: datastore paths, data assets, blob URLs, as files on disk.

The URI forms Azure ML accepts for data, and what each names:

- `azureml://subscriptions/<s>/resourcegroups/<rg>/workspaces/<ws>/datastores/<d>/paths/<p>` (long form) and
  `azureml://datastores/<d>/paths/<p>` (short form, in the workspace at hand): a path in a datastore;
- `azureml://subscriptions/<s>/resourcegroups/<rg>/workspaces/<ws>/data/<name>/versions/<v>` (also with
  `/providers/Microsoft.MachineLearningServices/` before `workspaces`, as in a data asset's ARM id),
  `azureml:<name>:<v>`, `azureml:<name>@latest`: a data asset, which points at one of the others;
- `https://<account>.blob.core.windows.net/<container>/<p>` and
  `wasbs://<container>@<account>.blob.core.windows.net/<p>`: a blob path of a storage account the simulated cloud
  holds.

Job outputs (`azureml://jobs/...`) are the jobs' business, not resolved here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sim import messages
from sim.cloud import blobs, datastores, workspaces
from sim.cloud.errors import DATASET, NotFound, UserError

_WS = r"subscriptions/(?P<sub>[^/]+)/resource[gG]roups/(?P<rg>[^/]+)/(?:providers/[^/]+/)?workspaces/(?P<ws>[^/]+)"
_LONG_DATASTORE = re.compile(rf"^azureml://{_WS}/datastores/(?P<ds>[^/]+)/paths/?(?P<path>.*)$", re.IGNORECASE)
_SHORT_DATASTORE = re.compile(r"^azureml://datastores/(?P<ds>[^/]+)/paths/?(?P<path>.*)$", re.IGNORECASE)
# A data asset's ARM id (`/subscriptions/...`) is what azure-ai-ml sends for a job input given as `azureml:<name>:<v>`.
_LONG_ASSET = re.compile(rf"^(?:azureml:/)?/{_WS}/data/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/?$", re.IGNORECASE)
_SHORT_ASSET = re.compile(r"^azureml:(?!//)(?P<name>[^:@/]+)(?::(?P<version>[^:@/]+)|@(?P<label>latest))?$")
_HTTPS_BLOB = re.compile(r"^https://(?P<account>[^./]+)\.blob\.core\.windows\.net/(?P<container>[^/]+)/?(?P<path>.*)$",
                         re.IGNORECASE)
_WASBS = re.compile(r"^wasbs?://(?P<container>[^@]+)@(?P<account>[^./]+)\.blob\.core\.windows\.net/?(?P<path>.*)$",
                    re.IGNORECASE)


@dataclass(frozen=True)
class DatastorePath:
    """A path in a datastore of a workspace."""

    record: object
    datastore: str
    path: str  # relative, '/'-separated; may end with '/' for a folder

    @property
    def local_path(self) -> Path:
        """The file or folder on disk."""
        return datastores.content_root(self.record, self.datastore) / datastores.clean_relative(self.path)


def _workspace(match) -> object:
    record = workspaces.find(match.group("sub"), match.group("rg"), match.group("ws"))
    if record is None:
        raise NotFound(DATASET, messages.DATA_URI_WORKSPACE_NOT_FOUND.format(ws=match.group("ws")))
    return record


def is_data_asset_uri(uri: str) -> bool:
    """True for a URI naming a data asset (long `.../data/<name>/versions/<v>` or `azureml:<name>:<v>`)."""
    return bool(_LONG_ASSET.match(uri) or _SHORT_ASSET.match(uri))


def is_short_form(uri: str) -> bool:
    """True for a URI read in the workspace at hand (`azureml://datastores/...`, `azureml:<name>:<v>`)."""
    return bool(_SHORT_DATASTORE.match(uri) or _SHORT_ASSET.match(uri))


def data_asset_of(record, uri: str):
    """(workspace record, `sim.cloud.data_assets.DataAsset`) of the data asset a URI names, or None."""
    from sim.cloud import data_assets

    if match := _LONG_ASSET.match(uri):
        owner = _workspace(match)
        return owner, data_assets.get(owner, unquote(match.group("name")), unquote(match.group("version")))
    if match := _SHORT_ASSET.match(uri):
        if match.group("version"):
            return record, data_assets.get(record, match.group("name"), match.group("version"))
        return record, data_assets.latest(record, match.group("name"))
    return None


def datastore_path(record, uri: str) -> DatastorePath:
    """The datastore path a datastore URI, blob URL or data asset URI points at.

    Args:
        record: the workspace that short forms (`azureml://datastores/...`, `azureml:name:1`) are read in.

    Raises:
        UserError: a form this module does not know; NotFound: a workspace, datastore or asset that is not there.
    """
    if match := _LONG_DATASTORE.match(uri):
        return _checked(_workspace(match), match.group("ds"), match.group("path"))
    if match := _SHORT_DATASTORE.match(uri):
        return _checked(record, match.group("ds"), match.group("path"))
    found = data_asset_of(record, uri)
    if found is not None:
        return datastore_path(found[0], found[1].path)
    if match := (_HTTPS_BLOB.match(uri) or _WASBS.match(uri)):
        return _from_blob(match)
    raise UserError(DATASET, messages.DATA_URI_UNKNOWN.format(uri=uri))


def _checked(record, datastore: str, path: str) -> DatastorePath:
    return DatastorePath(record, datastores.get(record, datastore).name, unquote(path))


def _from_blob(match) -> DatastorePath:
    record, account = blobs.find_account(match.group("account"))
    container = match.group("container")
    for rec in datastores.list(record):
        props = rec.properties
        if rec.holds_files and (props.get("account_name") or "").lower() == account.lower() and \
                container in (props.get("container_name"), props.get("filesystem")):
            return DatastorePath(record, rec.name, unquote(match.group("path")))
    raise UserError(DATASET, messages.DATA_URI_NO_DATASTORE.format(container=container, account=account))


def local_path(record, uri: str) -> Path:
    """The file or folder on disk that a data URI points at (it may not exist)."""
    found = data_asset_of(record, uri)
    if found is not None:
        return local_path(found[0], found[1].path)
    if match := (_HTTPS_BLOB.match(uri) or _WASBS.match(uri)):
        box = blobs.container(match.group("account"), match.group("container"))
        path = unquote(match.group("path")).strip("/")
        return box.path / path if path else box.path
    return datastore_path(record, uri).local_path
