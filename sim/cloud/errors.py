"""The simulated service's own errors: an Azure REST error code, an HTTP status and a message.

The service knows no SDK. Each face turns a `CloudError` into what its SDK raises: the v1 face maps
(family, code) to `UserErrorException`, `ComputeTargetException`... (`sim.azureml._common.service_errors`);
the REST service answers `{"error": {"code": ..., "message": ...}}` with the status.

`family` names the resource area whose rule refused (one of the constants below); raise sites read
`raise NotFound(COMPUTE, messages.COMPUTE_NOT_FOUND.format(name=name))`.
"""

from __future__ import annotations

# Resource areas (families).
ACCESS = "access"  # role definitions, role assignments, and authorization checks by default
COMPUTE = "compute"
DATASET = "dataset"
DATASTORE = "datastore"
ENVIRONMENT = "environment"
EXPERIMENT = "experiment"
JOB = "job"  # submitting a job: its target, source directory and script
KEYVAULT = "keyvault"
MODEL = "model"
RUN = "run"  # a run's record, metrics, properties and files
SERVICE = "service"  # web services (scoring endpoints)
WORKSPACE = "workspace"  # workspaces, resource groups, subscriptions
FAMILIES = (ACCESS, COMPUTE, DATASET, DATASTORE, ENVIRONMENT, EXPERIMENT, JOB, KEYVAULT, MODEL, RUN, SERVICE,
            WORKSPACE)

# Azure REST error codes used beyond the generic ones of the classes below.
VALIDATION_ERROR = "ValidationError"  # a dataset's sources match no file
DATA_READ_ERROR = "DataReadError"  # a dataset's files could not be read as its format
MULTIPLE_FOUND = "MultipleResourcesFound"  # a name found in several resource groups


class CloudError(Exception):
    """An error answer of the simulated service.

    Args:
        family: the resource area that refused (e.g. `COMPUTE`).
        message: the sentence the learner reads.
        code: the Azure REST error code (defaults to the class's, e.g. "ResourceNotFound").
        status: the HTTP status (defaults to the class's, e.g. 404).
    """

    code = "InternalServerError"
    status = 500

    def __init__(self, family: str, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.family = family
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.family!r}, {self.code!r}, {self.status}, {self.message!r})"

    def body(self) -> dict:
        """The REST error body Azure answers with."""
        return {"error": {"code": self.code, "message": self.message}}


class UserError(CloudError):
    """400: a bad argument or a request the resource's rules refuse."""

    code = "UserError"
    status = 400


class Forbidden(CloudError):
    """403: the caller's roles do not allow the action."""

    code = "AuthorizationFailed"
    status = 403


class NotFound(CloudError):
    """404: no resource of that name (or id)."""

    code = "ResourceNotFound"
    status = 404


class Conflict(CloudError):
    """409: the name is taken, or the resource's state does not allow the operation now."""

    code = "Conflict"
    status = 409


class StorageFull(CloudError):
    """403: the simulated storage is at its ceiling (`sim.cloud.storage_ceiling`).

    The code is the one Azure Storage gives a write to a full file share (ShareSizeLimitReached). 403 because no
    client retries it: azure-core retries 408, 429, 500, 502-504 and everything from 506 up (507 Insufficient
    Storage included), MLflow's client 429 and 5xx, each sending the body again; and 413 would say that this one
    request is too big, not that the store is full.
    """

    code = "ShareSizeLimitReached"
    status = 403


class ServiceError(CloudError):
    """500: the service itself failed (e.g. a scoring server that would not start)."""

    code = "ServiceError"
    status = 500
