"""azure-core's requests transport, pointed at the simulated service.

The real SDKs build their HTTP pipelines on `azure.core.pipeline.transport.RequestsTransport`. Its sessions
get `SimulatedAzureAdapter` mounted instead of the network adapter: a request for one of Azure's hosts is
answered by the simulated service (`sim.service.channel`: in this process, or the service process), a request for the
loopback goes out as usual (scoring servers), and anything else fails at once, as there is no network here.
"""

from __future__ import annotations

import io
import ipaddress
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPResponse

from sim import messages

# Hosts the simulated service answers, as suffixes (Azure public cloud names). Azure ML's schema CDN is among them:
# azure-ai-ml fetches the MLTable JSON schema from it before registering an mltable asset, and a refused connection
# would cost ~5 s of azure-core retries; the service answers 501 at once and the SDK goes on without the schema.
SERVICE_HOSTS = ("management.azure.com", ".api.azureml.ms", ".blob.core.windows.net", ".inference.ml.azure.com",
                 "azuremlschemas.azureedge.net", "azuremlschemasprod.azureedge.net")
LOOPBACK_NAMES = ("localhost",)


def is_service_host(host: str) -> bool:
    """True for a host name the simulated Azure answers."""
    host = host.lower()
    return any(host == suffix.lstrip(".") or host.endswith(suffix) for suffix in SERVICE_HOSTS)


def is_loopback(host: str) -> bool:
    """True for localhost and 127.0.0.0/8 (the simulator's scoring servers listen there)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _body_bytes(body) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    return b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in body)


def call_service(method: str, url: str, headers: dict, body: bytes, timeout=None) -> tuple[int, list, bytes]:
    """Send one request to the simulated service; returns (status, header pairs, body).

    `sim.service.channel` chooses where it is answered: in this process, or by the service process.
    """
    from sim.service import channel

    try:
        return channel.send(method, url, headers, body, timeout=_read_timeout(timeout))
    except channel.ServiceUnreachable as exc:
        raise requests.ConnectionError(str(exc)) from exc


def _read_timeout(timeout) -> float | None:
    """The read part of a requests timeout (a number, a (connect, read) pair, or None)."""
    if isinstance(timeout, tuple):
        timeout = timeout[-1]
    return float(timeout) if isinstance(timeout, int | float) else None


class SimulatedAzureAdapter(HTTPAdapter):
    """A requests adapter that answers Azure's hosts from the simulator and refuses the rest of the internet."""

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        host = urlsplit(request.url).hostname or ""
        if is_loopback(host):
            return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies)
        if not is_service_host(host):
            raise requests.ConnectionError(messages.NO_NETWORK.format(url=request.url), request=request)
        status, headers, body = call_service(request.method, request.url, dict(request.headers),
                                             _body_bytes(request.body), timeout)
        raw = HTTPResponse(body=io.BytesIO(body), headers=headers, status=status, preload_content=False,
                           decode_content=False, request_method=request.method)
        return self.build_response(request, raw)


def patch(module) -> None:
    """Mount the simulated adapter on every session RequestsTransport sets up (azure-core's own hook)."""
    transport = module.RequestsTransport
    if getattr(transport, "_sim_patched", False):
        return
    original = transport._init_session

    def _init_session(self, session):
        original(self, session)
        adapter = SimulatedAzureAdapter()
        for prefix in ("https://", "http://"):
            session.mount(prefix, adapter)

    transport._init_session = _init_session
    transport._sim_patched = True


def patch_requests(module) -> None:
    """Plain `requests` too: `requests.post(endpoint.scoring_uri, ...)` reaches the simulated endpoint."""
    session = module.Session
    if getattr(session, "_sim_patched", False):
        return
    original = session.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        adapter = SimulatedAzureAdapter()
        for prefix in ("https://", "http://"):
            self.mount(prefix, adapter)

    session.__init__ = __init__
    session._sim_patched = True
