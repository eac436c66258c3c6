"""The public exception classes of `azureml.exceptions`, with the real SDK's class hierarchy."""

from __future__ import annotations

from sim.azureml._common.exceptions import AzureMLException


class UserErrorException(AzureMLException):
    """The caller did something wrong: a bad argument, a missing resource, a forbidden action."""

    _error_code = "UserError"

    def __init__(self, exception_message, **kwargs):
        super().__init__(exception_message, **kwargs)


class AuthenticationException(UserErrorException):
    """Authentication or authorization failed."""

    _error_code = "AuthenticationError"

    def __init__(self, exception_message, **kwargs):
        super().__init__(exception_message, **kwargs)


class ComputeTargetException(AzureMLException):
    """A compute target could not be found, created, updated or deleted."""

    def __init__(self, exception_message, **kwargs):
        super().__init__(exception_message, **kwargs)


class ExperimentExecutionException(AzureMLException):
    """An experiment could not be submitted or run."""

    def __init__(self, exception_message, **kwargs):
        super().__init__(exception_message, **kwargs)


class ProjectSystemException(AzureMLException):
    """A workspace or project could not be found or used."""

    def __init__(self, exception_message, **kwargs):
        super().__init__(exception_message, **kwargs)


class RunConfigurationException(AzureMLException):
    """A run configuration is invalid."""

    def __init__(self, exception_message, **kwargs):
        super().__init__(exception_message, **kwargs)


class SnapshotException(AzureMLException):
    """A snapshot of the source directory could not be taken."""

    def __init__(self, exception_message, **kwargs):
        super().__init__(exception_message, **kwargs)


class TrainingException(AzureMLException):
    """A training run failed."""

    def __init__(self, exception_message, **kwargs):
        super().__init__(exception_message, **kwargs)


class WorkspaceException(AzureMLException):
    """A workspace operation failed.

    Args:
        exception_message: the message.
        found_multiple: True when several workspaces matched a lookup.
    """

    def __init__(self, exception_message, found_multiple=False, **kwargs):
        super().__init__(exception_message, **kwargs)
        self.found_multiple = found_multiple


class WorkspacePrivateEndpointException(AzureMLException):
    """Private endpoints are not simulated; kept for the class hierarchy."""

    def __init__(self, exception_message, found_multiple=False, **kwargs):
        super().__init__(exception_message, **kwargs)
        self.found_multiple = found_multiple


class WebserviceException(AzureMLException):
    """A web service could not be deployed, found, called or deleted.

    Args:
        exception_message: the message.
        status_code: the HTTP status when the error came from a scoring endpoint.
        logger: accepted for parity with the real SDK (unused).
    """

    def __init__(self, exception_message, status_code=None, logger=None, **kwargs):
        super().__init__(exception_message, **kwargs)
        self.status_code = status_code


class ModelNotFoundException(AzureMLException):
    """No registered model matched the name/version asked for."""

    def __init__(self, exception_message, logger=None, **kwargs):
        super().__init__(exception_message, **kwargs)


class ModelPathNotFoundException(AzureMLException):
    """A model path (in a run's files or inside a scoring container) does not exist."""

    def __init__(self, exception_message, logger=None, **kwargs):
        super().__init__(exception_message, **kwargs)


class ActivityFailedException(AzureMLException):
    """A run or deployment that was waited on ended in failure."""

    def __init__(self, error_details, **kwargs):
        self.error_details = error_details
        text = error_details if isinstance(error_details, str) else repr(error_details)
        super().__init__(f"Activity Failed:\n{text}", **kwargs)


class DatasetTimestampMissingError(AzureMLException):
    """A time-series operation needs a timestamp column that the dataset lacks."""

    def __init__(self, error_details, **kwargs):
        super().__init__(str(error_details), **kwargs)


class DiscoveryUrlNotFoundException(AzureMLException):
    """The service discovery URL has no entry for a key."""

    def __init__(self, discovery_key, **kwargs):
        super().__init__(f"Could not find the discovery url for key {discovery_key}.", **kwargs)


class ParallelRunException(AzureMLException):
    """A parallel run step failed."""

    def __init__(self, exception_message: str, code: str = None, delay_seconds: float = 0, **kwargs):
        super().__init__(exception_message, **kwargs)
        self.code = code
        self.delay_seconds = delay_seconds


class RunEnvironmentException(AzureMLException):
    """The script is not running inside a run environment."""

    def __init__(self, **kwargs):
        message = kwargs.pop("exception_message", "Could not load a submitted run; the script is not "
                             "running in a run context.")
        super().__init__(message, **kwargs)
