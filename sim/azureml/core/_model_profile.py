"""Model.profile: validate as the SDK does, read the sample requests, and hand the profile to the service."""

from __future__ import annotations

import re

import sim.cloud.services
from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.azureml.exceptions import UserErrorException, WebserviceException

cloud = v1_service(sim.cloud.services)

MIN_PROFILE_CPU, MAX_PROFILE_CPU = 0.1, 3.5
MIN_PROFILE_MEMORY, MAX_PROFILE_MEMORY = 0.1, 15.0
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")  # also a folder name: no '/', no '..' start


def _check_resources(cpu, memory_in_gb) -> None:
    if cpu and not MIN_PROFILE_CPU <= cpu <= MAX_PROFILE_CPU:
        raise UserErrorException(messages.PROFILE_CPU_RANGE.format(value=cpu))
    if memory_in_gb and not MIN_PROFILE_MEMORY <= memory_in_gb <= MAX_PROFILE_MEMORY:
        raise UserErrorException(messages.PROFILE_MEMORY_RANGE.format(value=memory_in_gb))


def sample_requests(input_dataset) -> list[str]:
    """The request bodies of a one-column tabular dataset of strings, one per row.

    Raises:
        UserErrorException: no dataset, not tabular, not exactly one column, not strings, or no rows.
    """
    from sim.azureml.data.tabular_dataset import TabularDataset

    if input_dataset is None:
        raise UserErrorException(messages.PROFILE_NO_DATASET)
    if not isinstance(input_dataset, TabularDataset):
        raise UserErrorException(messages.PROFILE_DATASET_TYPE.format(type_name=type(input_dataset)))
    frame = input_dataset.to_pandas_dataframe()
    if len(frame.columns) != 1:
        raise UserErrorException(messages.PROFILE_DATASET_COLUMNS.format(
            count=len(frame.columns), columns=list(frame.columns)))
    column = frame.columns[0]
    values = frame[column].dropna()
    if not all(isinstance(v, str) for v in values):
        raise UserErrorException(messages.PROFILE_DATASET_STRINGS.format(column=column, dtype=frame[column].dtype))
    if values.empty:
        raise UserErrorException(messages.PROFILE_DATASET_EMPTY)
    return list(values)


def profile_models(workspace, profile_name, models, inference_config, input_dataset, cpu=None, memory_in_gb=None,
                   description=None):
    """The body of Model.profile: returns the ModelProfile (already terminal: the profile runs here)."""
    from sim.azureml.core.model import InferenceConfig
    from sim.azureml.core.profile import ModelProfile
    from sim.azureml.core.webservice._deploy import _entry_paths, _environment, resolve_models

    if not profile_name:
        raise UserErrorException(messages.PROFILE_NAME_EMPTY)
    if not isinstance(profile_name, str) or not _PROFILE_NAME.fullmatch(profile_name):
        raise UserErrorException(messages.PROFILE_NAME_INVALID.format(name=profile_name))
    _check_resources(cpu, memory_in_gb)
    requests = sample_requests(input_dataset)
    if not isinstance(inference_config, InferenceConfig):
        raise WebserviceException(messages.SERVICE_INFERENCE_CONFIG_TYPE.format(
            type_name=type(inference_config).__name__))
    entry, source = _entry_paths(inference_config)
    resolved = resolve_models(workspace, models, profile_name)
    record = cloud.profile_model(
        workspace._record, profile_name, models=[m._version_record for m in resolved], entry_script=entry,
        source_directory=source, environment=_environment(inference_config), requests=requests,
        dataset_id=input_dataset.id, cpu=cpu, memory_in_gb=memory_in_gb, description=description)
    profile = ModelProfile(workspace, profile_name)
    profile.create_operation_id = record["id"]
    return profile
