"""Simulated `azureml.core.model`: Model (registered models) and InferenceConfig.

Model methods validate like the real SDK, then delegate to `sim.cloud.models` (the registry, mirrored into
the workspace's MLflow model registry) and, for `deploy`, to `azureml.core.webservice`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sim import messages
from sim.azureml.core import _model_deploy_info as _deploy_info
from sim.azureml.core._inference_config import InferenceConfig
from sim.azureml.exceptions import (
    ModelNotFoundException,
    ModelPathNotFoundException,
    UserErrorException,
    WebserviceException,
)


class _LazyCloudModels:
    """`sim.cloud.models`, imported on first use: a scoring server imports this module to call
    get_model_path and should not pay for SQLAlchemy, which only the registry needs. Its functions
    raise the SDK's exceptions (`v1_service`)."""

    def __getattr__(self, name):
        from sim.azureml._common.service_errors import v1_service
        from sim.cloud import models

        return getattr(v1_service(models), name)


cloud_models = _LazyCloudModels()


class _LazyRegistering:
    """`sim.cloud.models.registering` as the face calls it, imported on first use (as `cloud_models`)."""

    def __getattr__(self, name):
        import sim.cloud.models.registering
        from sim.azureml._common.cloud import cloud

        return getattr(cloud(sim.cloud.models.registering), name)


_registering = _LazyRegistering()

__all__ = ["InferenceConfig", "Model"]

_MODEL_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9\-\._]{0,254}$")
DEFAULT_MIMETYPE = "application/json"


def _models_dir() -> str:
    # Where get_model_path looks and downloads: <AML_APP_ROOT>/azureml-models, as in the real SDK.
    return os.path.join(os.environ.get("AML_APP_ROOT", ""), "azureml-models")


def _validate_name(name) -> None:
    if not isinstance(name, str) or not _MODEL_NAME.fullmatch(name):
        raise WebserviceException(messages.MODEL_NAME_INVALID)


def _check_dict(value, what: str) -> dict | None:
    if value is not None and not isinstance(value, dict):
        raise WebserviceException(messages.MODEL_DICT_REQUIRED.format(what=what, type_name=type(value).__name__))
    return value


def _not_simulated(member: str) -> WebserviceException:
    return WebserviceException(messages.NOT_SIMULATED.format(member=member))


class Model:
    """A registered model version in a workspace (the constructor is a getter, as in the SDK).

    Args:
        workspace: the workspace holding the model.
        name: the model name (the latest version unless `version` is given).
        id: the model id, "name:version".
        tags, properties: optional filters ('key' or [key, value] items).
        version: the version number to get.
        run_id, model_framework: optional filters.
        expand: accepted for parity (related objects are loaded lazily).

    Raises:
        WebserviceException: ModelNotFound, or neither name nor id given.
    """

    class Framework:
        """Constants for the model frameworks Azure ML knows."""

        CUSTOM = "Custom"
        TENSORFLOW = "TensorFlow"
        SCIKITLEARN = "ScikitLearn"
        ONNX = "Onnx"
        TFKERAS = "TfKeras"
        PYTORCH = "PyTorch"
        MULTI = "Multi"

    _SUPPORTED_FRAMEWORKS_FOR_NO_CODE_DEPLOY = [Framework.ONNX, Framework.SCIKITLEARN, Framework.TENSORFLOW,
                                                Framework.MULTI]

    def __init__(self, workspace, name=None, id=None, tags=None, properties=None, version=None,
                 run_id=None, model_framework=None, expand=True, **kwargs):
        self.created_by = self.created_time = self.description = self.id = self.mime_type = None
        self.name = self.model_framework = self.model_framework_version = self.tags = self.properties = None
        self.unpack = self.url = self.version = self.workspace = self.experiment_name = self.run_id = None
        self.parent_id, self.derived_model_ids, self.datasets = None, [], {}
        self.sample_input_dataset = self.sample_output_dataset = self.resource_configuration = None
        self._run, self._version_record = None, None
        version_record = kwargs.get("_version_record")
        if version_record is not None:
            self._initialize(workspace, version_record)
        elif workspace:
            found = self._get(workspace, name, id, tags, properties, version, model_framework, run_id)
            if found is None:
                details = ", ".join(f"{k} {v}" for k, v in dict(
                    name=name, id=id, tags=tags, properties=properties, version=version, run_id=run_id,
                    model_framework=model_framework).items() if v)
                raise WebserviceException(messages.MODEL_NOT_FOUND.format(details=details), status_code=404)
            self._initialize(workspace, found)

    @staticmethod
    def _get(workspace, name, id, tags, properties, version, model_framework, run_id):
        if not id and not name:
            raise WebserviceException(messages.MODEL_ID_OR_NAME_REQUIRED)
        record = workspace._record
        if id:
            return cloud_models.find_by_id(record, id)
        if version:
            return cloud_models.find_by_id(record, f"{name}:{version}")
        found = cloud_models.query(record, name=name, tags=tags, properties=properties, run_id=run_id,
                                   framework=model_framework)
        return found[0] if found else None

    def _initialize(self, workspace, mv) -> None:
        self.workspace, self._version_record = workspace, mv
        self.id, self.name, self.version = mv.id, mv.name, mv.version
        self.description, self.tags, self.properties = mv.description, dict(mv.tags), dict(mv.properties)
        self.model_framework = mv.framework or Model.Framework.CUSTOM
        self.model_framework_version = mv.framework_version
        self.created_time, self.created_by = mv.created_time, mv.created_by
        self.experiment_name, self.run_id = mv.experiment_name, mv.run_id
        self.mime_type, self.unpack, self.url = DEFAULT_MIMETYPE, False, mv.url
        self.sample_input_dataset, self.sample_output_dataset, self.resource_configuration = \
            _deploy_info.load(workspace, mv.id)

    @classmethod
    def _wrap(cls, workspace, mv) -> Model:
        return cls(workspace, _version_record=mv)

    def __repr__(self):
        return (f"{self.__class__.__name__}(workspace={self.workspace!r}, name={self.name}, id={self.id}, "
                f"version={self.version}, tags={self.tags}, properties={self.properties})")

    @property
    def run(self):
        """The run that produced this model, when it was registered from a run (else None)."""
        if self._run is None and self.run_id and self.experiment_name:
            try:
                from sim.azureml.core.experiment import Experiment
                from sim.azureml.core.run import Run

                self._run = Run(Experiment(self.workspace, self.experiment_name), self.run_id)
            except Exception:  # noqa: BLE001 - the SDK also leaves run unset when it cannot be fetched
                return None
        return self._run

    # ---- registering --------------------------------------------------------------------------------

    @staticmethod
    def register(workspace, model_path, model_name, tags=None, properties=None, description=None,
                 datasets=None, model_framework=None, model_framework_version=None, child_paths=None,
                 sample_input_dataset=None, sample_output_dataset=None, resource_configuration=None):
        """Register a local file or folder as a new version of `model_name`; return the Model."""
        _validate_name(model_name)
        if model_framework is None and model_framework_version is not None:
            raise WebserviceException(messages.MODEL_FRAMEWORK_VERSION_WITHOUT_FRAMEWORK)
        Model._reject_unsimulated(datasets, None, None, None)
        _check_dict(tags, "tags"), _check_dict(properties, "properties")
        source = Model._validate_model_path(model_path, child_paths)
        print(f"Registering model {model_name}")
        mv = _registering.register_path(
            workspace._record, source, model_name, child_paths=child_paths, tags=tags, properties=properties,
            description=description, framework=model_framework or Model.Framework.CUSTOM,
            framework_version=model_framework_version)
        _deploy_info.save(workspace._record, mv.id, sample_input_dataset, sample_output_dataset,
                          resource_configuration)
        return Model._wrap(workspace, mv)

    @staticmethod
    def _reject_unsimulated(datasets, sample_input, sample_output, resource_configuration) -> None:
        for value, member in ((datasets, "Model.register(datasets=...)"),
                              (sample_input, "Model.register(sample_input_dataset=...)"),
                              (sample_output, "Model.register(sample_output_dataset=...)"),
                              (resource_configuration, "Model.register(resource_configuration=...)")):
            if value:
                raise _not_simulated(member)

    @staticmethod
    def _validate_model_path(model_path, child_paths) -> Path:
        if not isinstance(model_path, (str, os.PathLike)) or not str(model_path):
            raise WebserviceException(messages.MODEL_PATH_NOT_FOUND.format(path=model_path, cwd=os.getcwd()))
        source = Path(os.path.normpath(os.path.join(os.getcwd(), model_path)))
        if not source.exists():
            raise WebserviceException(messages.MODEL_PATH_NOT_FOUND.format(path=source, cwd=os.getcwd()))
        for child in child_paths or []:
            if not (source / child).exists():
                raise WebserviceException(messages.MODEL_CHILD_PATH_NOT_FOUND.format(path=child, model_path=source))
        return source

    @staticmethod
    def _register_from_run(run, model_name, model_path=None, tags=None, properties=None, description=None,
                           **kwargs):
        """Register files a run uploaded (the hook behind `Run.register_model`)."""
        _validate_name(model_name)
        framework, framework_version = kwargs.get("model_framework"), kwargs.get("model_framework_version")
        if framework is None and framework_version is not None:
            raise WebserviceException(messages.MODEL_FRAMEWORK_VERSION_WITHOUT_FRAMEWORK)
        Model._reject_unsimulated(kwargs.get("datasets"), kwargs.get("sample_input_dataset"),
                                  kwargs.get("sample_output_dataset"), kwargs.get("resource_configuration"))
        _check_dict(tags, "tags"), _check_dict(properties, "properties")
        prefix = os.path.normpath(model_path or model_name).replace(os.sep, "/")
        files = list(run.get_file_names())
        chosen = [f for f in files if f == prefix or f.startswith(prefix + "/")]
        if not chosen:
            raise ModelPathNotFoundException(messages.MODEL_NOT_IN_RUN.format(path=prefix, files=files))
        workspace = run.experiment.workspace
        mv = _registering.register_run_files(
            workspace._record, run.id, run.experiment.name, prefix, chosen, model_name, tags=tags,
            properties=properties, description=description, framework=framework or Model.Framework.CUSTOM,
            framework_version=framework_version)
        return Model._wrap(workspace, mv)

    # ---- finding ------------------------------------------------------------------------------------

    @staticmethod
    def list(workspace, name=None, tags=None, properties=None, run_id=None, latest=False,
             dataset_id=None, expand=True, page_count=255, model_framework=None):
        """Registered model versions, newest first, filtered by every argument given."""
        if page_count and (page_count < 20 or page_count > 255):
            raise UserErrorException(messages.MODEL_LIST_PAGE_COUNT.format(value=page_count))
        if tags is not None and type(tags) is not list:
            raise UserErrorException(messages.MODEL_LIST_TAGS_TYPE.format(type_name=type(tags)))
        if dataset_id:
            raise _not_simulated("Model.list(dataset_id=...)")
        found = cloud_models.query(workspace._record, name=name, tags=tags, properties=properties,
                                   run_id=run_id, latest=latest, framework=model_framework)
        return [Model._wrap(workspace, mv) for mv in found]

    @staticmethod
    def get_model_path(model_name, version=None, _workspace=None):
        """The local path of a registered model: in a scoring service (or a cache), or downloaded.

        Inside a submitted run (or with `_workspace`) the model is downloaded to ./azureml-models/<name>/<ver>;
        inside a deployed service it is already under AZUREML_MODEL_DIR's azureml-models folder.
        """
        if version is not None and not isinstance(version, int):
            raise WebserviceException(messages.MODEL_VERSION_NOT_INT.format(type_name=type(version).__name__))
        workspace = _workspace or _run_workspace()
        if version is not None:
            try:
                return Model._get_model_path_local(model_name, version)
            except ModelNotFoundException:
                if workspace is None:
                    raise
                return Model._get_model_path_remote(model_name, version, workspace)
        if workspace is not None:
            return Model._get_model_path_remote(model_name, version, workspace)
        return Model._get_model_path_local(model_name, version)

    @staticmethod
    def _get_model_path_local(model_name, version=None):
        if model_name is None:
            raise WebserviceException("model_name is None")
        candidate = os.path.join(_models_dir(), model_name)
        versions = [int(v) for v in os.listdir(candidate) if v.isdigit()] if os.path.isdir(candidate) else []
        if versions:
            chosen = version if version is not None else max(versions)
            folder = os.path.join(candidate, str(chosen))
            if os.path.isdir(folder):
                entries = os.listdir(folder)
                if len(entries) != 1:
                    raise WebserviceException(f"Dir {folder} can contain only 1 file or folder. Found {entries}")
                return os.path.join(folder, entries[0])
        if os.path.exists(model_name):
            return model_name
        raise ModelNotFoundException(messages.MODEL_NOT_IN_CACHE.format(name=model_name, cache=_models_dir(),
                                                                        cwd=os.getcwd()))

    @staticmethod
    def _get_model_path_remote(model_name, version, workspace):
        try:
            model = Model(workspace, name=model_name, version=version)
        except WebserviceException as exc:
            available = sorted(f"{m.name}/{m.version}" for m in Model.list(workspace))
            raise ModelNotFoundException(messages.MODEL_VERSION_NOT_IN_WORKSPACE.format(
                name=model_name, version=version, available=available)) from exc
        target = os.path.join(_models_dir(), model_name, str(model.version))
        return model.download(target, exist_ok=True)

    def download(self, target_dir=".", exist_ok=False, exists_ok=None):
        """Copy the model's file or folder into `target_dir`; return its path."""
        if exists_ok is not None:
            exist_ok = exists_ok
        copied = cloud_models.copy_files(self._version_record, Path(os.path.abspath(target_dir)), bool(exist_ok))
        return os.path.commonpath([os.path.join(os.path.normpath(target_dir), copied.name)])

    def get_sas_urls(self):
        """File name -> URL of each of the model's files (file:// URLs in the simulator)."""
        root = self._version_record.folder
        return {p.relative_to(root).as_posix(): p.as_uri() for p in sorted(root.rglob("*")) if p.is_file()}

    # ---- changing -----------------------------------------------------------------------------------

    def update(self, tags=None, description=None, sample_input_dataset=None, sample_output_dataset=None,
               resource_configuration=None):
        """Replace the tags and/or the description of this version."""
        Model._reject_unsimulated(None, sample_input_dataset, sample_output_dataset, resource_configuration)
        mv = cloud_models.update(self.workspace._record, self.id, tags=_check_dict(tags, "tags") or None,
                                 description=description)
        self._initialize(self.workspace, mv)

    def update_tags_properties(self, add_tags=None, remove_tags=None, add_properties=None):
        """Add tags, remove tags and add (immutable) properties in one call."""
        record = self.workspace._record
        if add_properties:
            clash = [k for k in add_properties if k in (self.properties or {})]
            if clash:
                raise WebserviceException(messages.MODEL_PROPERTIES_IMMUTABLE.format(keys=clash))
        for key in [k for k in (add_tags or {}) if k in (self.tags or {})]:
            print(f"Replacing tag {key} -> {self.tags[key]} with {key} -> {add_tags[key]}")
        if remove_tags is not None and not isinstance(remove_tags, list):
            remove_tags = [remove_tags]
        for key in [k for k in (remove_tags or []) if k not in (self.tags or {})]:
            print(f"Tag with key {key} not found.")
        mv = self._version_record
        if add_tags or remove_tags:
            mv = cloud_models.update_tags(record, self.id, add=_check_dict(add_tags, "tags"), remove=remove_tags)
        if add_properties:
            mv = cloud_models.add_properties(record, self.id, _check_dict(add_properties, "properties"))
        self._initialize(self.workspace, mv)

    def add_tags(self, tags):
        """Add (or replace) tags on this version."""
        self.update_tags_properties(add_tags=tags)
        print("Model tag add operation complete.")

    def remove_tags(self, tags):
        """Remove the named tags from this version."""
        self.update_tags_properties(remove_tags=tags)
        print("Model tag remove operation complete.")

    def add_properties(self, properties):
        """Add properties to this version (existing keys cannot change)."""
        self.update_tags_properties(add_properties=properties)
        print("Model properties add operation complete.")

    def add_dataset_references(self, datasets):
        """Not simulated: dataset references on models."""
        raise _not_simulated("Model.add_dataset_references")

    def delete(self):
        """Delete this version from the workspace (refused while a web service uses it)."""
        from sim.azureml._common.service_errors import v1_service
        from sim.cloud import services

        record = self.workspace._record
        cloud_models.delete(record, self.id, in_use_by=v1_service(services).services_using(record, self.id))

    # ---- (de)serializing ----------------------------------------------------------------------------

    def serialize(self):
        """This model as the JSON dictionary the SDK produces."""
        return {"createdTime": self.created_time.isoformat() if self.created_time else None,
                "createdBy": self.created_by, "description": self.description, "id": self.id,
                "mimeType": self.mime_type, "name": self.name, "framework": self.model_framework,
                "frameworkVersion": self.model_framework_version, "tags": self.tags,
                "properties": self.properties, "unpack": self.unpack, "url": self.url, "version": self.version,
                "experimentName": self.experiment_name, "runId": self.run_id, "runDetails": str(self.run),
                "datasets": [], **_deploy_info.serialized(self)}

    @staticmethod
    def deserialize(workspace, model_payload):
        """The Model that `serialize()` described (looked up again in `workspace`)."""
        return Model(workspace, id=model_payload["id"])

    # ---- deploying ----------------------------------------------------------------------------------

    @staticmethod
    def deploy(workspace, name, models, inference_config=None, deployment_config=None, deployment_target=None,
               overwrite=False, show_output=False):
        """Deploy registered models as a web service (ACI, or local); return the Webservice."""
        from sim.azureml.core.webservice._deploy import deploy_models

        return deploy_models(workspace, name, models, inference_config, deployment_config, deployment_target,
                             overwrite, show_output)

    @staticmethod
    def package(workspace, models, inference_config=None, generate_dockerfile=False, image_name=None,
                image_label=None):
        """Not simulated: building Docker images of models."""
        raise _not_simulated("Model.package")

    @staticmethod
    def profile(workspace, profile_name, models, inference_config, input_dataset, cpu=None, memory_in_gb=None,
                description=None):
        """Profile the models: run their scoring server on each row of `input_dataset` (a registered one-column
        TabularDataset of JSON request bodies) and recommend CPU and memory; returns a ModelProfile."""
        from sim.azureml.core._model_profile import profile_models

        return profile_models(workspace, profile_name, models, inference_config, input_dataset, cpu, memory_in_gb,
                              description)

    @staticmethod
    def print_configuration(models, inference_config, deployment_config, deployment_target):
        """Print the deployment's models, target, entry script and resources."""
        if models:
            print(f"Models: {[m.id for m in models]}")
        if deployment_target:
            print(f"Compute target: {deployment_target.name}")
        if inference_config:
            print(f"Entry script: {inference_config._entry_script_path()}")
        if deployment_config:
            deployment_config.print_deploy_configuration()


def _run_workspace():
    """The workspace of the submitted run this code runs in, or None (offline, or inside a service)."""
    if "SERVICE_NAME" in os.environ:
        return None
    try:
        from sim.azureml.core.run import Run

        run = Run.get_context(allow_offline=False)
        return run.experiment.workspace
    except Exception:  # noqa: BLE001 - no run context: look only in the local cache
        return None
