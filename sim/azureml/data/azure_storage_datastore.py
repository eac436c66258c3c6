"""``azureml.data.azure_storage_datastore``: Azure Blob container and Azure File share datastores.

Their contents are folders on disk (see :mod:`sim.cloud.datastores`), so uploads and downloads are real
file copies.  ``show_progress`` prints the SDK's progress lines.
"""

from __future__ import annotations

import collections
import json
import os
import sys

import sim.cloud.datastores
from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.azureml.data.abstract_datastore import AbstractDatastore
from sim.azureml.data.constants import AZURE_BLOB, AZURE_FILE
from sim.azureml.data.data_reference import DataReference

_cloud = v1_service(sim.cloud.datastores)


def _user_error(text):
    from sim.azureml.exceptions import UserErrorException

    return UserErrorException(text)


def _common_dir(files):
    if len(files) == 1:
        return os.path.dirname(files[0])
    return os.path.commonpath([os.path.abspath(f) for f in files])


class AbstractAzureStorageDatastore(AbstractDatastore):
    """The shared behaviour of blob and file share datastores: paths, uploads and downloads."""

    def __init__(self, workspace, name, datastore_type, container_name, account_name, sas_token=None,
                 account_key=None, protocol=None, endpoint=None):
        """Create the client-side object; see the subclasses."""
        super().__init__(workspace, name, datastore_type)
        self.container_name = container_name
        self.account_name = account_name
        self.sas_token = sas_token
        self.account_key = account_key
        self.credential_type = "Sas" if sas_token else ("AccountKey" if account_key else "None")
        self.protocol = protocol
        self.endpoint = endpoint
        self._data_reference = DataReference(datastore=self)

    def __repr__(self):
        content = collections.OrderedDict(name=self.name, container_name=self.container_name,
                                          account_name=self.account_name, protocol=self.protocol,
                                          endpoint=self.endpoint)
        return json.dumps(content, indent=2)

    def __str__(self):
        return self.__repr__()

    def path(self, path=None, data_reference_name=None):
        """A DataReference to ``path`` in this datastore (its root when None)."""
        return self._data_reference.path(path, data_reference_name)

    def as_download(self, path_on_compute=None):
        """A DataReference to the datastore root in download mode."""
        return self._data_reference.as_download(path_on_compute)

    def as_upload(self, path_on_compute=None):
        """A DataReference to the datastore root in upload mode."""
        return self._data_reference.as_upload(path_on_compute)

    def as_mount(self):
        """A DataReference to the datastore root in mount mode."""
        return self._data_reference.as_mount()

    def download(self, target_path, prefix=None, overwrite=False, show_progress=True):
        """Download files (all, or those whose path starts with ``prefix``) into ``target_path``.

        Returns:
            int: the number of files downloaded (existing files are skipped unless ``overwrite``).
        """
        return _cloud.download(self._record, self.name, target_path, prefix=prefix, overwrite=overwrite,
                               log=self._progress(show_progress))

    def upload(self, src_dir, target_path=None, overwrite=False, show_progress=True):
        """Upload every file under the local folder ``src_dir`` to ``target_path`` in the datastore.

        Returns:
            DataReference: a reference to ``target_path``.
        """
        src_dir = os.fspath(src_dir).rstrip("/\\")
        if not os.path.isdir(src_dir):
            raise _user_error(messages.DATASTORE_SRC_NOT_DIR)
        target_path = target_path or ""
        pairs = []
        for dirpath, _dirnames, filenames in os.walk(src_dir):
            for filename in sorted(filenames):
                full = os.path.join(dirpath, filename)
                pairs.append((os.path.abspath(full), _join(target_path, os.path.relpath(full, src_dir))))
        _cloud.upload(self._record, self.name, pairs, overwrite=overwrite, log=self._progress(show_progress))
        return DataReference(datastore=self, path_on_datastore=target_path)

    def upload_files(self, files, relative_root=None, target_path=None, overwrite=False, show_progress=True):
        """Upload a list of local files; their paths below ``relative_root`` are kept under ``target_path``.

        Args:
            files: local file paths.
            relative_root: the folder the kept paths start from (default: the files' common folder).
            target_path: the folder in the datastore (default: its root).
            overwrite: replace files that exist; otherwise they are skipped.
            show_progress: print progress lines.

        Returns:
            DataReference: a reference to ``target_path``.
        """
        if isinstance(files, (str, bytes, os.PathLike)) or not hasattr(files, "__iter__"):
            raise _user_error(messages.DATASTORE_FILES_TYPE.format(kind=type(files).__name__))
        files = [os.fspath(f) for f in files]
        target_path = target_path or ""
        root = relative_root if relative_root is not None else (_common_dir(files) if files else "")
        pairs = []
        for file_path in files:
            if not os.path.isfile(file_path):
                raise _user_error(messages.DATASTORE_NOT_A_FILE.format(path=file_path))
            rel = os.path.relpath(os.path.abspath(file_path), os.path.abspath(root or "."))
            if rel.startswith(".."):
                raise _user_error(messages.DATASTORE_RELATIVE_ROOT.format(root=root, path=file_path))
            pairs.append((os.path.abspath(file_path), _join(target_path, rel)))  # the service's folder differs
        _cloud.upload(self._record, self.name, pairs, overwrite=overwrite, log=self._progress(show_progress))
        return DataReference(datastore=self, path_on_datastore=target_path)

    def _progress(self, show_progress):
        if not show_progress:
            return None
        return lambda line: print(line, file=sys.stdout)

    def _as_dict(self, hide_secret=True):
        output = super()._as_dict()
        output.update(container_name=self.container_name, account_name=self.account_name,
                      protocol=self.protocol, endpoint=self.endpoint)
        if not hide_secret:
            output.update(credential_type=self.credential_type, sas_token=self.sas_token,
                          account_key=self.account_key)
        return output


def _join(target_path, rel):
    rel = rel.replace(os.sep, "/")
    return f"{target_path.rstrip('/')}/{rel}" if target_path else rel


class AzureBlobDatastore(AbstractAzureStorageDatastore):
    """A datastore on an Azure Blob container (``workspaceblobstore`` is one)."""

    def __init__(self, workspace, name, container_name, account_name, sas_token=None, account_key=None,
                 protocol=None, endpoint=None, request_session=None, workspace_msi_has_access=False,
                 subscription_id=None, resource_group=None, service_data_access_auth_identity=None):
        """Create the client-side object; register datastores with Datastore.register_azure_blob_container."""
        super().__init__(workspace, name, AZURE_BLOB, container_name, account_name, sas_token, account_key,
                         protocol, endpoint)
        self.workspace_msi_has_access = workspace_msi_has_access
        self.subscription_id = subscription_id
        self.resource_group = resource_group
        self.service_data_access_auth_identity = service_data_access_auth_identity


class AzureFileDatastore(AbstractAzureStorageDatastore):
    """A datastore on an Azure File share (``workspacefilestore`` is one)."""

    def __init__(self, workspace, name, container_name, account_name, sas_token=None, account_key=None,
                 protocol=None, endpoint="core.windows.net", request_session=None):
        """Create the client-side object; register datastores with Datastore.register_azure_file_share."""
        super().__init__(workspace, name, AZURE_FILE, container_name, account_name, sas_token, account_key,
                         protocol, endpoint)
