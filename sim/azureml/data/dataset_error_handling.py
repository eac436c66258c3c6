"""``azureml.data.dataset_error_handling``: the exceptions datasets raise."""

from __future__ import annotations

from sim.azureml.exceptions import UserErrorException


class DatasetValidationError(UserErrorException):
    """A dataset definition could not be validated (e.g. its path matches no file)."""

    def __init__(self, message, exception=None):
        """Create the error with its message and, optionally, the error that caused it."""
        self.inner_exception = exception
        super().__init__(message)


class DatasetExecutionError(UserErrorException):
    """Reading a dataset's data failed."""

    def __init__(self, message, exception=None):
        """Create the error with its message and the error that caused it."""
        self.inner_exception = exception
        super().__init__(message)
