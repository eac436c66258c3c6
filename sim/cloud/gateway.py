"""Where learner code reaches a v1 web service's scoring server: the server itself, or the service's route to it.

In Azure a scoring URI names the service, never the machine behind it. When the simulated Azure runs as its own
process, the service calls `serve_through` once it listens, and every address it hands out is its own scoring route
(`<base>/<subscription>/<resource group>/<workspace>/<service>`, answered by `sim.service.scoring_proxy`): a lab
kernel with its own network namespace reaches the service's port (a forwarder in its sandbox answers there) but
never a server's. Anywhere else (the in-process mode, a job run on its own) the address is the server's own; a server
sandboxed with the home hidden has none (it listens on a Unix socket in its folder), so there its address is the
running service's route, as for a kernel.
"""

from __future__ import annotations

from urllib.parse import quote

ROUTE = "/_sim/score"
_base: str | None = None  # set once, in the service process only (one service per DP100_HOME)


def serve_through(base: str | None) -> None:
    """Hand out scoring addresses on `base` (e.g. "http://127.0.0.1:<port>/_sim/score"); None: the servers' own."""
    global _base
    _base = base.rstrip("/") if base else None


def service_address(workspace, name: str, port: int | None, on_socket: bool = False) -> str | None:
    """The address a web service's URIs start with (None while its server has no port, or, `on_socket`, is
    sandboxed on its folder's Unix socket: then only the service's route reaches it, and only where there is one)."""
    if not (port or on_socket):
        return None
    base = _base if _base is not None or port else _running_service_route()
    if base is None:
        return f"http://127.0.0.1:{port}" if port else None
    parts = (workspace.subscription_id, workspace.resource_group, workspace.name, name)
    return base + "".join("/" + quote(part, safe="") for part in parts)


def _running_service_route() -> str | None:
    """The scoring route of this home's running service (None when none runs): the one way to a sandboxed server
    from a process that runs the simulated Azure in place (the app reading a record the service wrote)."""
    from sim.service import locations

    record = locations.read_record()
    return f"http://127.0.0.1:{record['port']}{ROUTE}" if record and record.get("port") else None
