"""Model.deploy: resolve models and configurations, then hand the service to `sim.cloud.services`."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import sim.cloud.services
from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.azureml.exceptions import WebserviceException

cloud = v1_service(sim.cloud.services)

_SERVICE_NAME = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")


def validate_service_name(name) -> None:
    """Raise the SDK's error unless `name` is 3-32 lowercase letters, digits and dashes (letter first)."""
    if not isinstance(name, str) or not _SERVICE_NAME.fullmatch(name) or not 3 <= len(name) <= 32:
        raise WebserviceException(messages.SERVICE_NAME_INVALID)


def resolve_models(workspace, models, name: str) -> list:
    """Model objects for a mixed list of Models, model ids and local paths (paths get registered)."""
    from sim.azureml.core.model import Model

    resolved = []
    for number, model in enumerate(models or [], start=1):
        if isinstance(model, Model):
            resolved.append(model)
        elif isinstance(model, str):
            try:
                resolved.append(Model(workspace, id=model))
            except WebserviceException:
                model_name = os.path.basename(model.rstrip(os.sep))[:30] or f"{name[:10]}.model{number}"
                resolved.append(Model.register(workspace, model, model_name))
        else:
            raise WebserviceException(messages.MODEL_TYPE_IN_DEPLOY.format(type_name=type(model).__name__))
    return resolved


def _entry_paths(inference_config) -> tuple[Path, Path | None]:
    with warnings.catch_warnings():  # the files may have changed since the config was made: check again
        warnings.simplefilter("ignore", DeprecationWarning)
        inference_config.validate_configuration()
    source = Path(inference_config.source_directory).resolve() if inference_config.source_directory else None
    entry = Path(inference_config._entry_script_path()).resolve()
    if source is not None and not entry.is_relative_to(source):
        raise WebserviceException(messages.SERVICE_ENTRY_OUTSIDE_SOURCE.format(script=entry, source=source))
    return entry, source


def redeploy_spec(workspace, models, inference_config) -> dict:
    """What `sim.cloud.services.update` needs to rebuild and restart a service."""
    entry, source = _entry_paths(inference_config)
    return {"models": [m._version_record for m in resolve_models(workspace, models, "update")],
            "entry_script": entry, "source_directory": source,
            "environment": _environment(inference_config)}


def _environment(inference_config) -> dict:
    env = inference_config._environment_record()
    env["entry_script_source"] = str(Path(inference_config._entry_script_path()).resolve())
    env["source_directory_source"] = inference_config.source_directory
    env["entry_script_argument"] = inference_config.entry_script
    return env


def stored_inference_config(record):
    """An InferenceConfig rebuilt from what a service recorded (its original script and folder)."""
    from sim.azureml.core.model import InferenceConfig

    env = record.environment or {}
    return InferenceConfig(entry_script=env.get("entry_script_argument") or env.get("entry_script_source"),
                           source_directory=env.get("source_directory_source"))


def _kind(deployment_config, deployment_target) -> str:
    from sim.azureml.core.webservice.aci import AciServiceDeploymentConfiguration
    from sim.azureml.core.webservice.local import LocalWebserviceDeploymentConfiguration

    if isinstance(deployment_config, LocalWebserviceDeploymentConfiguration):
        return cloud.LOCAL
    if deployment_target is not None:
        raise WebserviceException(messages.SERVICE_TARGET_NOT_SIMULATED.format(
            what=f"compute target '{getattr(deployment_target, 'name', deployment_target)}'"))
    if deployment_config is None or isinstance(deployment_config, AciServiceDeploymentConfiguration):
        return cloud.ACI
    raise WebserviceException(messages.SERVICE_CONFIG_TYPE.format(type_name=type(deployment_config).__name__))


def deploy_models(workspace, name, models, inference_config, deployment_config, deployment_target, overwrite,
                  show_output):
    """The body of Model.deploy: returns the new service object (state Transitioning / deploying)."""
    from sim.azureml.core.model import InferenceConfig, Model
    from sim.azureml.core.webservice.aci import AciWebservice

    validate_service_name(name)
    kind = _kind(deployment_config, deployment_target)
    if inference_config is None:
        return _deploy_no_code(workspace, name, models, kind, deployment_config, overwrite)
    if not isinstance(inference_config, InferenceConfig):
        raise WebserviceException(messages.SERVICE_INFERENCE_CONFIG_TYPE.format(
            type_name=type(inference_config).__name__))
    if kind == cloud.ACI and deployment_config is None:
        deployment_config = AciWebservice.deploy_configuration()
    if getattr(deployment_config, "ssl_enabled", False):
        raise WebserviceException(messages.NOT_SIMULATED.format(member="AciWebservice SSL (ssl_enabled=True)"))
    resolved = resolve_models(workspace, models, name)
    if show_output:
        Model.print_configuration(resolved, inference_config, deployment_config, deployment_target)
    entry, source = _entry_paths(inference_config)
    record = cloud.deploy(
        workspace._record, name, compute_type=kind, models=[m._version_record for m in resolved],
        entry_script=entry, source_directory=source, environment=_environment(inference_config),
        config=deployment_config._service_config(workspace), overwrite=bool(overwrite),
        tags=getattr(deployment_config, "tags", None), properties=getattr(deployment_config, "properties", None),
        description=getattr(deployment_config, "description", None),
        auth_enabled=bool(getattr(deployment_config, "auth_enabled", False)),
        keys={"primaryKey": getattr(deployment_config, "primary_key", None),
              "secondaryKey": getattr(deployment_config, "secondary_key", None)})
    return _service_object(workspace, name, kind, record)


def _deploy_no_code(workspace, name, models, kind, deployment_config, overwrite):
    """No-code deployment: one scikit-learn model is served by the service's own scoring script."""
    from sim.azureml.core.model import Model
    from sim.azureml.core.webservice.aci import AciWebservice

    resolved = resolve_models(workspace, models, name)
    frameworks = sorted({m.model_framework for m in resolved})
    if len(resolved) != 1 or frameworks != [Model.Framework.SCIKITLEARN]:
        what = (f"a model of framework {frameworks[0]}" if len(frameworks) == 1 and len(resolved) == 1
                else f"{len(resolved)} models")
        raise WebserviceException(messages.SERVICE_NO_CODE_DEPLOY.format(what=what))
    if kind == cloud.ACI and deployment_config is None:
        deployment_config = AciWebservice.deploy_configuration()
    import sim._sklearn_scoring as builtin

    record = cloud.deploy(
        workspace._record, name, compute_type=kind, models=[resolved[0]._version_record],
        entry_script=Path(builtin.__file__), source_directory=None, environment={},
        config=deployment_config._service_config(workspace), overwrite=bool(overwrite),
        auth_enabled=bool(getattr(deployment_config, "auth_enabled", False)), keys={})
    return _service_object(workspace, name, kind, record)


def _service_object(workspace, name, kind, record):
    from sim.azureml.core.webservice.aci import AciWebservice
    from sim.azureml.core.webservice.local import LocalWebservice

    if kind == cloud.LOCAL:
        return LocalWebservice(workspace, name)
    service = object.__new__(AciWebservice)
    service._initialize(workspace, record)
    return service
