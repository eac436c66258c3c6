"""Application Insights request telemetry of a v1 web service: what its scoring server records per request.

A service deployed with `enable_app_insights=True` (or switched on later with `service.update(enable_app_insights=
True)`) sends a request record to Application Insights for every scoring call: when it came, the status code
returned, how long the answer took and how large request and answer were. Here the service's own folder holds them:
`appinsights.json` says whether recording is on (the service writes it on deploy and update; the running server
re-reads it when it changes, so an update needs no restart), and `requests.jsonl` gets one JSON line per request.

The file is bounded like the server's other resources: past `MAX_FILE_BYTES` it becomes `requests.1.jsonl` (the one
before is dropped), so a busy or hostile client cannot fill the disk. Lines use Application Insights' own names for
the `requests` table's columns (timestamp, name, url, resultCode, success, duration in ms); the sizes are extra.

Only the standard library here: the scoring server imports this, and it starts on every deployment.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

FLAG_FILE = "appinsights.json"
REQUESTS_FILE = "requests.jsonl"
ROTATED_FILE = "requests.1.jsonl"
# Tests shorten it through the environment; 2 MB holds about 10,000 requests per file.
MAX_FILE_BYTES = int(os.environ.get("DP100_SIM_REQUESTS_MAX_BYTES") or 2 * 1024 * 1024)


def set_enabled(folder: Path, enabled: bool) -> None:
    """Switch request recording on or off for the service in `folder` (atomic; the file is the user's only)."""
    tmp = folder / (FLAG_FILE + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"enabled": bool(enabled)}, fh)
    os.replace(tmp, folder / FLAG_FILE)


def is_enabled(folder: Path) -> bool:
    """True when the flag file says recording is on (absent or unreadable: off, as a service deployed without it)."""
    try:
        return bool(json.loads((folder / FLAG_FILE).read_text()).get("enabled"))
    except (OSError, ValueError, AttributeError):
        return False


def entry(name: str, status: int, duration_ms: float, request_bytes: int, response_bytes: int) -> dict:
    """One request record, with Application Insights' column names."""
    return {"timestamp": datetime.now(UTC).isoformat(), "id": uuid.uuid4().hex[:16], "name": name,
            "url": name.partition(" ")[2], "resultCode": str(status), "success": status < 400,
            "duration": round(duration_ms, 3), "requestSize": int(request_bytes), "responseSize": int(response_bytes)}


class RequestLog:
    """The scoring server's writer: appends a record per request while the service's flag says so."""

    def __init__(self, folder: Path, max_bytes: int = MAX_FILE_BYTES):
        self.folder = folder
        self.max_bytes = max_bytes
        self._lock = threading.Lock()  # worker threads answer requests at once; one writes (or rotates) at a time
        self._flag: tuple[float, bool] = (-1.0, False)

    def enabled(self) -> bool:
        """Whether to record now; the flag file is read again only when it has changed."""
        try:
            mtime = (self.folder / FLAG_FILE).stat().st_mtime
        except OSError:
            return False
        if mtime != self._flag[0]:
            self._flag = (mtime, is_enabled(self.folder))
        return self._flag[1]

    def record(self, name: str, status: int, duration_ms: float, request_bytes: int, response_bytes: int) -> None:
        """Append one request's record (nothing when app insights is off); never raises into the request."""
        if not self.enabled():
            return
        line = (json.dumps(entry(name, status, duration_ms, request_bytes, response_bytes)) + "\n").encode()
        try:
            with self._lock:
                self._rotate_if_full(len(line))
                fd = os.open(self.folder / REQUESTS_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(fd, line)
                finally:
                    os.close(fd)
        except OSError:  # a full disk or a removed folder must not turn a good answer into an error
            pass

    def _rotate_if_full(self, adding: int) -> None:
        current = self.folder / REQUESTS_FILE
        try:
            size = current.stat().st_size
        except OSError:
            return
        if size + adding > self.max_bytes:
            os.replace(current, self.folder / ROTATED_FILE)
