"""What the simulated `az` remembers between calls: its installed extensions (under DP100_HOME)."""

from __future__ import annotations

import json

from dp100 import paths

ML_V1_EXTENSION = {"name": "azure-cli-ml", "version": "1.41.0", "extensionType": "whl", "experimental": False,
                   "preview": False}
KNOWN_EXTENSIONS = {"azure-cli-ml": ML_V1_EXTENSION}


def _state_file():
    return paths.subdir("az") / "extensions.json"


def installed() -> list[dict]:
    """The installed extensions, as `az extension list` shows them."""
    path = _state_file()
    return json.loads(path.read_text()) if path.exists() else []


def is_installed(name: str) -> bool:
    """True when the extension is installed."""
    return any(ext["name"] == name for ext in installed())


def add(name: str) -> dict:
    """Install a known extension (idempotent) and return its record."""
    record = {**KNOWN_EXTENSIONS[name], "path": str(paths.subdir("az", "cliextensions", name))}
    current = [ext for ext in installed() if ext["name"] != name] + [record]
    _state_file().write_text(json.dumps(current, indent=2))
    return record


def remove(name: str) -> bool:
    """Uninstall an extension; returns whether it was installed."""
    current = installed()
    kept = [ext for ext in current if ext["name"] != name]
    _state_file().write_text(json.dumps(kept, indent=2))
    return len(kept) != len(current)
