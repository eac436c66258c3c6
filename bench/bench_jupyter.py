"""The lab compute instance's speed: how long "Open in JupyterLab" takes (labs.jupyter), start to answer.

Each run uses a fresh DP100_HOME with lab 01 (no set-up of its own) prepared first, so only JupyterLab is timed:
the first start (the server comes up and answers /api/status with its token), an open that reuses the running
server, the first kernel of a notebook (POST /api/kernels until it answers kernel_info on its websocket), and
stop (server, kernel and all gone).

    .venv/bin/python bench/bench_jupyter.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rest(server, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(server.base_url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"token {server.token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as resp:
        return json.loads(resp.read() or b"{}")


def _first_kernel(server) -> float:
    """Seconds from asking for a kernel until it answers a kernel_info request on its websocket."""
    import websocket  # websocket-client, a dependency of jupyter_server

    started = time.perf_counter()
    kernel = _rest(server, "POST", "/api/kernels", {"name": "python38-azureml", "path": "01-workspace"})
    ws = websocket.create_connection(f"ws://127.0.0.1:{server.port}/api/kernels/{kernel['id']}/channels"
                                     f"?token={server.token}", timeout=120)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "kernel_info_request", "username": "bench",
                                       "session": msg_id, "date": "", "version": "5.3"},
                            "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell"}))
        while json.loads(ws.recv()).get("parent_header", {}).get("msg_id") != msg_id:
            pass
    finally:
        ws.close()
    return time.perf_counter() - started


def one_run() -> dict[str, float]:
    """Time one cold start, one reuse, the first kernel and the stop in a fresh DP100_HOME."""
    home = os.environ["DP100_HOME"] = tempfile.mkdtemp(prefix="dp100-bench-jupyter-")
    from labs import api, jupyter

    api.prepare("01")
    figures = {}
    try:
        started = time.perf_counter()
        jupyter.start("01")
        figures["first start"] = time.perf_counter() - started
        started = time.perf_counter()
        jupyter.start("01")
        figures["reuse"] = time.perf_counter() - started
        figures["first kernel"] = _first_kernel(jupyter.status())
        started = time.perf_counter()
        jupyter.stop()
        figures["stop"] = time.perf_counter() - started
    finally:
        jupyter.stop()
        shutil.rmtree(home, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = [one_run() for _ in range(parser.parse_args().runs)]
    for name in runs[0]:
        values = [r[name] for r in runs]
        print(f"{name:<13} median {statistics.median(values):6.2f} s   "
              f"min {min(values):6.2f} s   max {max(values):6.2f} s   (runs: {len(values)})")


if __name__ == "__main__":
    main()
