"""How the SDK v1 face turns the simulated service's errors into the SDK's own exceptions.

The service (`sim.cloud`) raises `CloudError`s carrying a family (the resource area), an Azure REST code,
an HTTP status and the message. The real SDK v1 raises one class per area instead: `ComputeTargetException`
for compute, `WebserviceException` for models and web services, `ProjectSystemException` for a missing
workspace, `ServiceException` for a 403... `TABLE` says which, by (family, code), with `ANY` as the
family's default. The message is kept as it is.

The facade calls the service in one of two explicit ways:
- `v1_service(module)`: a service module whose functions raise the SDK's exceptions
  (`_cloud = v1_service(compute)`, then `_cloud.get(record, name)`), for modules that call it often; it is
  `sim.azureml._common.cloud.cloud`, which also sends the call to the service process in "process" mode;
- `with v1_errors(): ...` around a few lines that call the service.
"""

from __future__ import annotations

from contextlib import contextmanager

from sim.azureml._restclient.exceptions import ServiceException
from sim.azureml.data.dataset_error_handling import DatasetExecutionError, DatasetValidationError
from sim.azureml.exceptions import (
    ComputeTargetException,
    ExperimentExecutionException,
    ProjectSystemException,
    UserErrorException,
    WebserviceException,
    WorkspaceException,
)
from sim.cloud import errors as cloud
from sim.cloud.errors import CloudError

ANY = "*"


def _service_exception(error: CloudError) -> ServiceException:
    """The REST client's error, as the SDK raises it for a 403 on most resources."""
    return ServiceException(error.message, status_code=error.status, error_code=error.code)


def _webservice_not_found(error: CloudError) -> WebserviceException:
    return WebserviceException(error.message, status_code=404)


def _workspace_found_multiple(error: CloudError) -> WorkspaceException:
    return WorkspaceException(error.message, found_multiple=True)


def _dataset_validation(error: CloudError) -> DatasetValidationError:
    return DatasetValidationError(error.message, error.__cause__)


def _dataset_execution(error: CloudError) -> DatasetExecutionError:
    return DatasetExecutionError(error.message, error.__cause__)


# (family, code) -> the v1 exception class, or a function building the exception from the CloudError.
TABLE = {
    (cloud.ACCESS, "AuthorizationFailed"): _service_exception,
    (cloud.ACCESS, ANY): UserErrorException,
    (cloud.COMPUTE, ANY): ComputeTargetException,
    (cloud.DATASET, cloud.VALIDATION_ERROR): _dataset_validation,
    (cloud.DATASET, cloud.DATA_READ_ERROR): _dataset_execution,
    (cloud.DATASET, ANY): UserErrorException,
    (cloud.DATASTORE, ANY): UserErrorException,
    (cloud.ENVIRONMENT, ANY): UserErrorException,
    (cloud.EXPERIMENT, ANY): UserErrorException,
    (cloud.JOB, ANY): ExperimentExecutionException,
    (cloud.KEYVAULT, ANY): UserErrorException,
    (cloud.MODEL, ANY): WebserviceException,
    (cloud.RUN, ANY): UserErrorException,
    (cloud.SERVICE, "ResourceNotFound"): _webservice_not_found,
    (cloud.SERVICE, ANY): WebserviceException,
    (cloud.WORKSPACE, "UserError"): UserErrorException,
    (cloud.WORKSPACE, "ResourceNotFound"): ProjectSystemException,
    (cloud.WORKSPACE, "AuthorizationFailed"): ProjectSystemException,
    (cloud.WORKSPACE, cloud.MULTIPLE_FOUND): _workspace_found_multiple,
    (cloud.WORKSPACE, ANY): WorkspaceException,
}


def to_v1(error: CloudError) -> Exception:
    """The SDK v1 exception for a service error (a `ServiceException` when the table has no entry)."""
    build = TABLE.get((error.family, error.code)) or TABLE.get((error.family, ANY)) or _service_exception
    return build(error) if not isinstance(build, type) else build(error.message)


@contextmanager
def v1_errors():
    """Run a block that calls the service; a `CloudError` leaving it is raised as the SDK's exception.

    The SDK exception keeps the service error's own cause (e.g. the pandas error behind a failed read) and
    hides the `CloudError` itself, so a learner's traceback reads as the real SDK's.
    """
    try:
        yield
    except CloudError as error:
        raise to_v1(error) from error.__cause__


def v1_service(module):
    """`module` (a `sim.cloud` module) with its functions raising the SDK v1 exceptions instead of `CloudError`,
    run in this process or through the simulated Azure service as the mode says (`sim.azureml._common.cloud`)."""
    from sim.azureml._common.cloud import cloud

    return cloud(module)
