"""``azureml.data.abstract_dataset``: what tabular and file datasets share.

A dataset object holds a definition (a JSON dict, see :mod:`sim.cloud.datasets`), the workspace it reads
from, and its registration (id, name, version, description, tags) once saved or registered.  Methods that
transform a dataset return a new, unregistered dataset; nothing is read until data is asked for.
"""

from __future__ import annotations

import collections
import copy
import json

import sim.cloud.datasets
from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service

_cloud = v1_service(sim.cloud.datasets)


def _user_error(text):
    from sim.azureml.exceptions import UserErrorException

    return UserErrorException(text)


def _record_of(workspace):
    record = getattr(workspace, "_record", None)
    if record is None:
        raise _user_error(messages.DATASTORE_WORKSPACE_TYPE.format(kind=type(workspace).__name__))
    return record


def _from_info(workspace, info):
    """The SDK object (TabularDataset or FileDataset) of a stored dataset."""
    from sim.azureml.data.file_dataset import FileDataset
    from sim.azureml.data.tabular_dataset import TabularDataset

    cls = TabularDataset if info.dataset_type == _cloud.TABULAR else FileDataset
    return cls._create(info.definition, workspace, info)


def _from_data_asset(workspace, record, name, version):
    """The dataset SDK v1 makes of the v2 data asset `name` (None when there is no such asset or version)."""
    import sim.cloud.data_assets
    from sim.azureml.data.file_dataset import FileDataset
    from sim.azureml.data.tabular_dataset import TabularDataset
    from sim.cloud.errors import NotFound
    from sim.service.routed import routed

    data_assets = routed(sim.cloud.data_assets)  # raising sim.cloud's own errors (NotFound is caught below)
    try:
        latest = version in ("latest", None)
        asset = data_assets.latest(record, name) if latest else data_assets.get(record, name, str(version))
    except NotFound:
        return None
    definition = data_assets.as_v1_definition(record, asset)
    cls = TabularDataset if definition["type"] == "tabular" else FileDataset
    return cls._create(definition, workspace)


class _DatasetDict(dict):
    """``Workspace.datasets``: registered datasets (latest versions) keyed by name."""


class AbstractDataset:
    """The base class of TabularDataset and FileDataset."""

    def __init__(self):
        """Create an empty dataset; use the Dataset.Tabular / Dataset.File factories instead."""
        self._definition = None
        self._workspace = None
        self._registration = None  # sim.cloud.datasets.DatasetInfo once saved or registered

    @classmethod
    def _create(cls, definition, workspace=None, registration=None):
        dataset = cls()
        dataset._definition = definition
        dataset._workspace = workspace
        dataset._registration = registration
        return dataset

    def _derive(self, step=None, **changes):
        """A new, unregistered dataset: this definition plus one step (or changed top-level fields)."""
        definition = copy.deepcopy(self._definition)
        if step is not None:
            definition.setdefault("steps", []).append(step)
        definition.update(changes)
        return type(self)._create(definition, self._workspace)

    @property
    def _record(self):
        if self._workspace is None:
            raise _user_error(messages.DATASET_WORKSPACE_UNKNOWN)
        return _record_of(self._workspace)

    # -------------------------------------------------------------------------------- lookups

    @staticmethod
    def get_by_name(workspace, name, version="latest", **kwargs):
        """Get a registered dataset by name and version ('latest' by default).

        As the SDK does, a name that no dataset has is then looked up among the workspace's SDK v2 data assets:
        a uri_file or uri_folder asset reads as a FileDataset, an mltable asset as a TabularDataset (both
        unregistered: their name and version are None).

        Raises:
            UserErrorException: no such dataset or version, and no such data asset either.
        """
        import sim.cloud.datasets
        from sim.azureml._common.service_errors import v1_errors
        from sim.cloud.errors import NotFound
        from sim.service.routed import routed

        datasets = routed(sim.cloud.datasets)  # sim.cloud's own errors: v1_errors below maps what is not caught
        record = _record_of(workspace)
        with v1_errors():
            try:
                info = datasets.get_by_name(record, name, version)
            except NotFound:
                found = _from_data_asset(workspace, record, name, version)
                if found is None:
                    raise
                return found
        return _from_info(workspace, info)

    @staticmethod
    def get_by_id(workspace, id, **kwargs):  # noqa: A002 - the SDK's parameter name
        """Get a saved dataset by id (with its registration when it is registered)."""
        return _from_info(workspace, _cloud.get_by_id(_record_of(workspace), id))

    @staticmethod
    def get_all(workspace):
        """All registered datasets of the workspace (latest versions), keyed by registration name."""
        found = _DatasetDict()
        for info in _cloud.list_latest(_record_of(workspace)):
            found[info.name] = _from_info(workspace, info)
        return found

    # --------------------------------------------------------------------------- registration

    @property
    def id(self):
        """The dataset id; saving it to its workspace first when needed (None without a workspace)."""
        if self._registration is not None:
            return self._registration.id
        if self._workspace is None:
            return None
        dataset_id = _cloud.save(self._record, self._definition)
        self._registration = _cloud.DatasetInfo(id=dataset_id, definition=self._definition)
        return dataset_id

    @property
    def name(self):
        """The registration name (None when not registered)."""
        return self._registration.name if self._registration else None

    @property
    def version(self):
        """The registration version (None when not registered)."""
        return self._registration.version if self._registration else None

    @property
    def description(self):
        """The registration description."""
        return self._registration.description if self._registration else None

    @property
    def tags(self):
        """The registration tags."""
        return dict(self._registration.tags) if self._registration else {}

    @property
    def data_changed_time(self):
        """Not simulated: source change tracking."""
        return None

    @property
    def partition_keys(self):
        """The columns that ``partition_format`` extracts from file paths."""
        return list(self._definition.get("partition_keys", []))

    def register(self, workspace, name, description=None, tags=None, create_new_version=False):
        """Register the dataset in ``workspace`` under ``name``.

        Args:
            workspace: the workspace.
            name: the registration name.
            description: a description.
            tags: a dictionary of string tags.
            create_new_version: register a changed definition as the next version of an existing name.

        Returns:
            The registered dataset (same type), with ``name`` and ``version`` set.
        """
        info = _cloud.register(_record_of(workspace), self._definition, name, description, tags,
                               create_new_version)
        return _from_info(workspace, info)

    def _require_registered(self, action):
        if not self._registration or self._registration.name is None:
            raise _user_error(messages.DATASET_NOT_REGISTERED.format(action=action))

    def update(self, description=None, tags=None):
        """Replace the description and/or tags of this registered version."""
        self._require_registered("update")
        info = _cloud.update(self._record, self.name, self.version, description, tags)
        self._registration = info
        return _from_info(self._workspace, info)

    def add_tags(self, tags=None):
        """Add tags to this registered version (existing keys are kept)."""
        self._require_registered("add tags to")
        merged = dict(self.tags)
        merged.update({k: v for k, v in (tags or {}).items() if k not in merged})
        return self.update(tags=merged)

    def remove_tags(self, tags=None):
        """Remove the given tag keys from this registered version."""
        self._require_registered("remove tags from")
        return self.update(tags={k: v for k, v in self.tags.items() if k not in (tags or [])})

    def unregister_all_versions(self):
        """Unregister every version of this dataset's name (the saved definitions stay)."""
        if self.name is None:
            return
        _cloud.unregister_all_versions(self._record, self.name)

    def get_partition_key_values(self, partition_keys=None):
        """Not simulated: partition key listing."""
        not_simulated("Dataset.get_partition_key_values")

    # ------------------------------------------------------------------------------- consumption

    def as_named_input(self, name):
        """Give the dataset a name for a run: the script finds it in ``Run.get_context().input_datasets``.

        Returns:
            DatasetConsumptionConfig: direct mode (a TabularDataset arrives as a dataset object).
        """
        from sim.azureml.data.dataset_consumption_config import DatasetConsumptionConfig

        return DatasetConsumptionConfig(name, self)

    # ---------------------------------------------------------------------------------- display

    def _step_names(self):
        first = ["GetDatastoreFiles"]
        reader = self._definition.get("reader")
        if reader:
            first.append({"parquet": "ReadParquetFile", "json_lines": "ParseJsonLines"}.get(reader["format"],
                                                                                           "ParseDelimited"))
        names = {"take": "TakeBlock", "skip": "SkipBlock", "keep_columns": "KeepColumns",
                 "drop_columns": "DropColumns", "random_split": "RandomSplit", "filter": "Filter"}
        return first + [names.get(s["op"], s["op"]) for s in self._definition.get("steps", [])]

    def __repr__(self):
        content = collections.OrderedDict()
        content["source"] = [f"('{s['datastore']}', '{s.get('path') or ''}')" for s in self._definition["sources"]]
        content["definition"] = self._step_names()
        if self._registration is not None:
            reg = collections.OrderedDict([("id", self._registration.id), ("name", self.name),
                                           ("version", self.version)])
            if self.description:
                reg["description"] = self.description
            if self.tags:
                reg["tags"] = self.tags
            content["registration"] = reg
        return json.dumps(content, indent=2)

    def __str__(self):
        return f"{type(self).__name__}\n{self.__repr__()}"



# AbstractDataset.Tabular / .File exist in the real SDK too; bound after the class to avoid an import cycle.
from sim.azureml.data.dataset_factory import FileDatasetFactory, TabularDatasetFactory  # noqa: E402

AbstractDataset.Tabular = TabularDatasetFactory
AbstractDataset.File = FileDatasetFactory
