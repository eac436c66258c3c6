"""Simulated `azureml.exceptions`: the same classes, names and hierarchy as the real package."""

from sim.azureml._common.exceptions import AzureMLAggregatedException, AzureMLException
from sim.azureml._restclient.exceptions import ServiceException
from sim.azureml.exceptions._azureml_exception import (
    ActivityFailedException,
    AuthenticationException,
    ComputeTargetException,
    DatasetTimestampMissingError,
    DiscoveryUrlNotFoundException,
    ExperimentExecutionException,
    ModelNotFoundException,
    ModelPathNotFoundException,
    ParallelRunException,
    ProjectSystemException,
    RunConfigurationException,
    RunEnvironmentException,
    SnapshotException,
    TrainingException,
    UserErrorException,
    WebserviceException,
    WorkspaceException,
    WorkspacePrivateEndpointException,
)

__all__ = [
    "ActivityFailedException", "AuthenticationException", "AzureMLAggregatedException", "AzureMLException",
    "ComputeTargetException", "DatasetTimestampMissingError", "DiscoveryUrlNotFoundException",
    "ExperimentExecutionException", "ModelNotFoundException", "ModelPathNotFoundException",
    "ParallelRunException", "ProjectSystemException", "RunConfigurationException", "RunEnvironmentException",
    "ServiceException", "SnapshotException", "TrainingException", "UserErrorException", "WebserviceException",
    "WorkspaceException", "WorkspacePrivateEndpointException",
]
