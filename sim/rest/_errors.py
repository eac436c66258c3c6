"""Errors the REST layer answers with, in Azure's error-body shape."""

from __future__ import annotations

import json

from werkzeug.wrappers import Response


class RestError(Exception):
    """An error answer: HTTP status, Azure error code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def not_found(kind: str, name: str, workspace: str | None = None) -> RestError:
    """404 for a resource that does not exist (the SDK raises ResourceNotFoundError)."""
    where = f" in workspace {workspace}" if workspace else ""
    return RestError(404, "ResourceNotFound", f"{kind} {name!r} was not found{where}.")


def bad_request(message: str, code: str = "UserError") -> RestError:
    """400 for a request the service refuses (the SDK raises HttpResponseError)."""
    return RestError(400, code, message)


def conflict(message: str) -> RestError:
    """409 for a name or state conflict."""
    return RestError(409, "Conflict", message)


def error_response(status: int, code: str, message: str) -> Response:
    """Azure's error body: `{"error": {"code", "message", "details": []}}`."""
    body = {"error": {"code": code, "message": message, "details": [], "additionalInfo": []}}
    return Response(json.dumps(body), status=status, content_type="application/json",
                    headers={"x-ms-error-code": code})


def from_cloud_error(exc: Exception) -> Response | None:
    """The answer for an error the service raised (`sim.cloud` errors carry status, code, message)."""
    status, code = getattr(exc, "status", None), getattr(exc, "code", None)
    if not isinstance(status, int) or not isinstance(code, str):
        return None
    return error_response(status, code, getattr(exc, "message", None) or str(exc))
