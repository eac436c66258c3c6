"""The v1 face's map from the service's errors (sim.cloud.errors) to the SDK's exception classes."""

from __future__ import annotations

import types

import pytest

from sim.azureml._common.service_errors import ANY, TABLE, to_v1, v1_errors, v1_service
from sim.azureml.data.dataset_error_handling import DatasetExecutionError, DatasetValidationError
from sim.azureml.exceptions import (
    ComputeTargetException,
    ExperimentExecutionException,
    ProjectSystemException,
    ServiceException,
    UserErrorException,
    WebserviceException,
    WorkspaceException,
)
from sim.cloud import errors


@pytest.mark.parametrize("error, expected", [
    (errors.Forbidden(errors.ACCESS, "m"), ServiceException),
    (errors.NotFound(errors.ACCESS, "m", code="RoleDefinitionDoesNotExist"), UserErrorException),
    (errors.Forbidden(errors.COMPUTE, "m"), ComputeTargetException),
    (errors.NotFound(errors.COMPUTE, "m"), ComputeTargetException),
    (errors.Forbidden(errors.KEYVAULT, "m"), UserErrorException),
    (errors.Forbidden(errors.MODEL, "m"), WebserviceException),
    (errors.Forbidden(errors.WORKSPACE, "m"), ProjectSystemException),
    (errors.NotFound(errors.WORKSPACE, "m"), ProjectSystemException),
    (errors.NotFound(errors.WORKSPACE, "m", code="ResourceGroupNotFound"), WorkspaceException),
    (errors.UserError(errors.WORKSPACE, "m"), UserErrorException),
    (errors.UserError(errors.WORKSPACE, "m", code="LocationNotAvailableForResourceType"), WorkspaceException),
    (errors.Conflict(errors.WORKSPACE, "m"), WorkspaceException),
    (errors.NotFound(errors.JOB, "m"), ExperimentExecutionException),
    (errors.NotFound(errors.RUN, "m"), UserErrorException),
    (errors.UserError(errors.DATASET, "m", code=errors.VALIDATION_ERROR), DatasetValidationError),
    (errors.UserError(errors.DATASET, "m", code=errors.DATA_READ_ERROR), DatasetExecutionError),
    (errors.Conflict(errors.DATASET, "m"), UserErrorException),
    (errors.Conflict(errors.SERVICE, "m"), WebserviceException),
    (errors.ServiceError("an-area-added-later", "m"), ServiceException),
])
def test_each_service_error_becomes_its_sdk_class_with_the_same_message(error, expected):
    mapped = to_v1(error)
    assert type(mapped) is expected and mapped.message == "m"


def test_every_family_has_a_default_class():
    assert {family for family, code in TABLE if code == ANY} == set(errors.FAMILIES)


def test_mapped_errors_keep_what_the_sdk_exposes():
    forbidden = to_v1(errors.Forbidden(errors.ACCESS, "no"))
    assert (forbidden.status_code, forbidden.error_code) == (403, "AuthorizationFailed")
    assert to_v1(errors.NotFound(errors.SERVICE, "gone")).status_code == 404
    assert to_v1(errors.Conflict(errors.SERVICE, "taken")).status_code is None
    assert to_v1(errors.Conflict(errors.WORKSPACE, "two", code=errors.MULTIPLE_FOUND)).found_multiple


def test_v1_errors_keeps_the_cause_and_hides_the_service_error():
    with pytest.raises(DatasetExecutionError, match="read failed") as caught, v1_errors():
        try:
            raise ValueError("bad csv")
        except ValueError as exc:
            raise errors.UserError(errors.DATASET, "read failed", code=errors.DATA_READ_ERROR) from exc
    assert isinstance(caught.value.__cause__, ValueError) and caught.value.__suppress_context__


def test_v1_service_maps_the_functions_of_a_module_and_passes_the_rest():
    module = types.ModuleType("fake_service")
    module.LIMIT = 3

    def get(name):
        raise errors.NotFound(errors.COMPUTE, f"{name} not found")

    module.get = get
    view = v1_service(module)
    assert view.LIMIT == 3 and view.get.__name__ == "get"
    with pytest.raises(ComputeTargetException, match="x not found"):
        view.get("x")


def test_the_service_error_is_a_rest_error_body():
    error = errors.Conflict(errors.COMPUTE, "Compute 'c' already exists")
    assert (error.status, str(error)) == (409, "Compute 'c' already exists")
    assert error.body() == {"error": {"code": "Conflict", "message": "Compute 'c' already exists"}}
