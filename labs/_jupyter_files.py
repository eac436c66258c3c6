"""What the lab JupyterLab server needs on disk and in its environment, all under DP100_HOME/jupyter.

    data/kernels/<name>/kernel.json   the compute instance's kernels, each started through labs._launcher
    config/jupyter_server_config.json allowed kernels, the terminal's shell, nothing fetched from the internet
    runtime/                          connection files, the server's info file and log
    bashrc                            the terminal's start-up file: the simulated `az` first on PATH
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from labs.kernel import DEFAULT_MAX_PROCESSES, DEFAULT_MEMORY_MB, kernel_bin_dir, kernel_env
from labs.spec import Lab

# The kernels of an Azure ML compute instance that the labs use (names and display names as there), plus the
# plain `python3` that `dp100 lab notebook` exports ask for. All three run the same simulated workspace.
KERNELS = {
    "python310-sdkv2": "Python 3.10 - SDK v2",
    "python38-azureml": "Python 3.8 - AzureML",
    "python3": "Python 3 (ipykernel)",
}
DEFAULT_KERNEL = "python310-sdkv2"


def kernel_for(lab: Lab) -> dict:
    """The kernelspec a lab's notebook asks for: the SDK v1 kernel for v1 labs, the SDK v2 one otherwise."""
    name = "python38-azureml" if lab.spec.sdk == "v1" else "python310-sdkv2"
    return {"name": name, "display_name": KERNELS[name], "language": "python"}


def prepare_instance_files(root: Path) -> dict[str, Path]:
    """Write the kernelspecs, the server config and the terminal's rc file under `root`; return the folders."""
    folders = {name: root / name for name in ("data", "config", "runtime")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    folders["runtime"].chmod(0o700)  # connection files carry kernel keys
    for name, display_name in KERNELS.items():
        _write_kernelspec(folders["data"] / "kernels" / name, display_name)
    folders["bashrc"] = _write_bashrc(root / "bashrc")
    _write_json(folders["config"] / "jupyter_server_config.json", _server_config(folders["bashrc"]))
    _never_ask_for_news(folders["config"])
    return folders


def _never_ask_for_news(config: Path) -> None:
    """Answer JupyterLab's "notified about official Jupyter news?" toast for the learner: never (it is offline).

    A user setting, written once: a learner who changes it in Settings keeps their choice.
    """
    path = config / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}, indent=1))


def _write_kernelspec(folder: Path, display_name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "labs._launcher", "--sandbox", "--mem-mb", str(DEFAULT_MEMORY_MB),
                 "--nproc", str(DEFAULT_MAX_PROCESSES), "-f", "{connection_file}"],
        "display_name": display_name,
        "language": "python",
        "interrupt_mode": "signal",
        # Plots show under the cell; learner code has no use for the server's token.
        "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "JUPYTER_TOKEN": ""},
        "metadata": {"debugger": True},
    }
    _write_json(folder / "kernel.json", spec)
    _copy_logos(folder)


def _copy_logos(folder: Path) -> None:
    """The Python logos ipykernel ships, so the launcher shows them as for any Python kernel."""
    try:
        import ipykernel
    except ImportError:
        return
    for logo in (Path(ipykernel.__file__).parent / "resources").glob("logo-*"):
        if not (folder / logo.name).exists():
            shutil.copyfile(logo, folder / logo.name)


def _write_bashrc(path: Path) -> Path:
    # Read after the learner's own ~/.bashrc, so a PATH set there cannot hide the simulated `az`.
    text = ("# The lab compute instance's terminal (written by dp100).\n"
            '[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"\n'
            f'export PATH="{kernel_bin_dir()}:{Path(sys.executable).parent}:$PATH"\n'
            "unset JUPYTER_TOKEN\n")
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def _terminal_command(bashrc: Path) -> list[str]:
    # Not a login shell: /etc/profile would reset PATH and drop the simulated `az`.
    bash = shutil.which("bash")
    shell = [bash, "--rcfile", str(bashrc), "-i"] if bash else [shutil.which("sh") or "/bin/sh"]
    # Learner commands, sandboxed as kernels; the rc file lies in DP100_HOME, so it is named to stay readable when
    # the sandbox hides the home (else the shell skips it: the simulated `az` loses its place first on PATH).
    return [sys.executable, "-m", "labs.sandbox.supervise", "--readable", str(bashrc), "--", *shell]


def _server_config(bashrc: Path) -> dict:
    return {
        # allow_root: the server is the learner's own, on loopback with a token (containers often run as root).
        "ServerApp": {"terminado_settings": {"shell_command": _terminal_command(bashrc)}, "allow_root": True},
        "KernelSpecManager": {"allowed_kernelspecs": list(KERNELS), "ensure_native_kernel": False},
        "MappingKernelManager": {"default_kernel_name": DEFAULT_KERNEL},  # a new notebook's kernel, as on Azure
        # Offline: no news feed, no update check, an extension manager that does not query PyPI.
        "LabApp": {"news_url": None, "extension_manager": "readonly",
                   "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate"},
    }


def server_env(folders: dict[str, Path], token: str) -> dict[str, str]:
    """The server's environment: a lab kernel's (DP100_HOME, IPYTHONDIR, no telemetry, `az` on PATH) plus Jupyter's
    folders.

    Kernels and terminals inherit it. JUPYTER_PATH puts these kernelspecs before any installed elsewhere.
    """
    bin_path = f"{kernel_bin_dir()}:{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"
    env = kernel_env({"PATH": bin_path})
    env.pop("MPLBACKEND", None)  # the kernels set theirs (kernel.json); a terminal's scripts keep matplotlib's own
    env.update(JUPYTER_DATA_DIR=str(folders["data"]), JUPYTER_PATH=str(folders["data"]),
               JUPYTER_CONFIG_DIR=str(folders["config"]), JUPYTER_RUNTIME_DIR=str(folders["runtime"]),
               JUPYTER_TOKEN=token)
    for name in ("JUPYTER_PREFER_ENV_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PLATFORM_DIRS"):
        env.pop(name, None)
    return env


def _write_json(path: Path, data: dict) -> None:
    text = json.dumps(data, indent=1)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
