"""The kernel manager of the lab JupyterLab server: kernels talk to it over Unix sockets, as the app's kernels do.

jupyter_client's default transport is TCP on 127.0.0.1, which a kernel in its own network namespace cannot share
with the server outside. With transport "ipc" the five ZMQ channels are socket files instead, in the kernels' own
socket folder (`labs.kernel_env.socket_dir`: short enough for AF_UNIX, and visible inside the sandbox), so a
JupyterLab kernel gets its own network like the app's kernels (`labs.sandbox.detect.Policy.own_network`).
Used as `--AsyncMappingKernelManager.kernel_manager_class=labs._jupyter_kernels.IpcKernelManager`.
"""

from __future__ import annotations

import uuid

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets import default


class IpcKernelManager(ServerKernelManager):
    """A JupyterLab kernel manager whose kernels use IPC sockets in the lab kernels' socket folder."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("ip")
    def _ip_default(self) -> str:
        from labs.kernel_env import socket_dir

        return str(socket_dir() / f"ipc-{uuid.uuid4().hex[:12]}")
