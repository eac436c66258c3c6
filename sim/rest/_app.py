"""The WSGI application: host-matched routes from each resource module, JSON in and out, Azure's errors."""

from __future__ import annotations

import importlib
import json
import logging
import re

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map
from werkzeug.wrappers import Request, Response

from sim.rest._errors import RestError, error_response, from_cloud_error
from sim.rest._shapes import ARM_HOST

# Each module has ROUTES: werkzeug Rules whose endpoint is the handler function.
RESOURCE_MODULES = ("workspaces", "compute", "datastores", "data", "environments", "codes", "jobs", "models",
                    "endpoints", "dataplane", "blob", "deployments", "components", "published_pipelines",
                    "batch_endpoints", "registries")

log = logging.getLogger(__name__)


def _routes():
    rules = []
    for name in RESOURCE_MODULES:
        try:
            module = importlib.import_module(f"sim.rest.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"sim.rest.{name}":
                raise
            continue  # a resource not served yet answers 404 below, saying it is not simulated
        rules.extend(module.ROUTES)
    return Map(rules, host_matching=True, strict_slashes=False, merge_slashes=False)


_URL_MAP = None


def _url_map() -> Map:
    global _URL_MAP  # built once: the routes are code, not state
    if _URL_MAP is None:
        _URL_MAP = _routes()
    return _URL_MAP


def _to_response(result) -> Response:
    if isinstance(result, Response):
        return result
    status, body = result if isinstance(result, tuple) else (200, result)
    if body is None:
        return Response(status=status)
    return Response(json.dumps(body), status=status, content_type="application/json")


def _not_simulated(request: Request) -> Response:
    # 501, not 404: lab code often treats "not found" as "create it", which must not hide a missing feature.
    return error_response(501, "NotSimulated", f"{request.method} {request.path} on {request.host} is not part "
                                               "of the simulated Azure Machine Learning service.")


def dispatch(request: Request) -> Response:
    """Route one request to its handler and turn what it returns or raises into an HTTP answer."""
    adapter = _url_map().bind_to_environ(request.environ)
    try:
        handler, values = adapter.match()
        return _to_response(handler(request, **values))
    except RestError as exc:
        return error_response(exc.status, exc.code, exc.message)
    except NotFound:
        return _not_simulated(request)
    except MethodNotAllowed:
        return error_response(405, "MethodNotAllowed", f"{request.method} is not allowed on {request.path}.")
    except HTTPException as exc:
        return error_response(exc.code or 400, "BadRequest", exc.description or str(exc))
    except Exception as exc:  # the service's own errors carry their status; anything else is a bug: 500
        answer = from_cloud_error(exc)
        if answer is not None:
            return answer
        log.exception("simulated service failed on %s %s", request.method, request.url)
        return error_response(500, "InternalServerError", f"{type(exc).__name__}: {exc}")


# ARM paths are case-insensitive (the SDK sends both `resourceGroups` and `resourcegroups`); routes use these spellings.
CANONICAL_SEGMENTS = ("subscriptions", "resourceGroups", "providers", "Microsoft.MachineLearningServices",
                      "Microsoft.Resources", "Microsoft.Storage", "workspaces", "deployments")
_SEGMENT = re.compile(r"(?<=/)(" + "|".join(re.escape(s) for s in CANONICAL_SEGMENTS) + r")(?=/|$)", re.IGNORECASE)
_CANONICAL = {s.lower(): s for s in CANONICAL_SEGMENTS}


def canonical_path(path: str) -> str:
    """The path with ARM's fixed segments spelled as the routes spell them."""
    return _SEGMENT.sub(lambda m: _CANONICAL[m.group(1).lower()], path)


def application(environ, start_response):
    """The WSGI entry point."""
    if environ.get("HTTP_HOST", "").lower() == ARM_HOST:
        environ["PATH_INFO"] = canonical_path(environ.get("PATH_INFO", ""))
    return dispatch(Request(environ))(environ, start_response)
