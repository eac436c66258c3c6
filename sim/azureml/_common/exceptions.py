"""The base exception of the simulated SDK, shaped like `azureml._common.exceptions`.

The real `AzureMLException` prints a block with the message, the inner exception and a JSON
error response; learners read that block in notebook tracebacks, so the simulator prints it too.
"""

from __future__ import annotations

import json


class AzureMLException(Exception):
    """Base class of every error raised by the simulated Azure ML SDK.

    Args:
        exception_message: the human-readable message.
        inner_exception: the exception that caused this one, if any.
        target: the name of the thing that was wrong (an argument, a resource).
        details: more error records, as the service would send them.
        message_format: the message template (kept for parity with the real SDK).
        message_parameters: the values of the template.
        reference_code: a code that identifies where the error was raised.
    """

    _error_code = "SystemError"

    def __init__(self, exception_message, inner_exception=None, target=None, details=None,
                 message_format=None, message_parameters=None, reference_code=None, **kwargs):
        super().__init__(exception_message)
        self._message = exception_message
        self._inner_exception = inner_exception
        self._target = target
        self._details = details
        self._message_format = message_format
        self._message_parameters = message_parameters
        self._reference_code = reference_code
        self._error_code = kwargs.pop("error_code", self._error_code)

    @property
    def message(self):
        """The error message."""
        return self._message

    @message.setter
    def message(self, value):
        self._message = value

    @property
    def inner_exception(self):
        """The exception that caused this one (or None)."""
        return self._inner_exception

    @inner_exception.setter
    def inner_exception(self, value):
        self._inner_exception = value

    def _error_response(self) -> dict:
        error = {"code": self._error_code, "message": self._message}
        if self._target:
            error["target"] = self._target
        if self._reference_code:
            error["reference_code"] = self._reference_code
        return {"error": error}

    def __str__(self):
        return (f"{type(self).__name__}:\n\tMessage: {self._message}\n\tInnerException "
                f"{self._inner_exception}\n\tErrorResponse \n"
                f"{json.dumps(self._error_response(), indent=4)}")

    def __repr__(self):
        return self.__str__()

    def print_stacktrace(self):
        """Print this exception's traceback, as the real SDK does."""
        import traceback

        traceback.print_exception(type(self), self, self.__traceback__)


class AzureMLAggregatedException(AzureMLException):
    """Several errors reported together."""

    def __init__(self, exceptions_list, **kwargs):
        self.exceptions_list = list(exceptions_list)
        text = "\n".join(str(e) for e in self.exceptions_list)
        super().__init__(text, **kwargs)
