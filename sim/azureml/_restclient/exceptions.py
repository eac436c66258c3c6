"""Service errors, shaped like `azureml._restclient.exceptions` (they do not derive from AzureMLException)."""

from __future__ import annotations


class AzureMLRestClientException(Exception):
    """Base of the errors the REST client raises."""

    def print_stacktrace(self):
        """Print this exception's traceback, as the real SDK does."""
        import traceback

        traceback.print_exception(type(self), self, self.__traceback__)


class ServiceException(AzureMLRestClientException):
    """An error response from the (simulated) Azure ML service.

    Args:
        error_response_exception: the service's error (a message string in the simulator).
        status_code: the HTTP status the service would have answered with.
        error_code: the service's error code, e.g. "AuthorizationFailed".
    """

    def __init__(self, error_response_exception, **kwargs):
        self.status_code = kwargs.pop("status_code", 400)
        self.error_code = kwargs.pop("error_code", "UserError")
        self.message = str(error_response_exception)
        super().__init__(error_response_exception)

    def __str__(self):
        return (f"ServiceException:\n\tCode: {self.status_code}\n\tMessage: ({self.error_code}) "
                f"{self.message}")
