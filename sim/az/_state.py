"""What the simulated `az` remembers between calls, under DP100_HOME/az (as the real one keeps ~/.azure).

Its installed extensions (`extensions.json`), its configuration (`config`, an INI file with a `[defaults]`
section, as `az configure --defaults` writes it) and the account in use (`account.json`).
"""

from __future__ import annotations

import configparser
import json

from dp100 import paths

ML_V1_EXTENSION = {"name": "azure-cli-ml", "version": "1.41.0", "extensionType": "whl", "experimental": False,
                   "preview": False}
ML_V2_EXTENSION = {"name": "ml", "version": "2.39.0", "extensionType": "whl", "experimental": False,
                   "preview": False}
KNOWN_EXTENSIONS = {"azure-cli-ml": ML_V1_EXTENSION, "ml": ML_V2_EXTENSION}
# Both extensions own the `az ml` command group, so Azure lets only one of them be installed.
CONFLICTS = {"azure-cli-ml": "ml", "ml": "azure-cli-ml"}


def _state_file():
    return paths.subdir("az") / "extensions.json"


def installed() -> list[dict]:
    """The installed extensions, as `az extension list` shows them."""
    path = _state_file()
    return json.loads(path.read_text()) if path.exists() else []


def is_installed(name: str) -> bool:
    """True when the extension is installed."""
    return any(ext["name"] == name for ext in installed())


def ml_tree() -> str | None:
    """Which `az ml` the installed extensions give: "v2" (ml), "v1" (azure-cli-ml) or None."""
    names = {ext["name"] for ext in installed()}
    return "v2" if "ml" in names else "v1" if "azure-cli-ml" in names else None


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


# ---- az configure ------------------------------------------------------------------------------------

def _config_file():
    return paths.subdir("az") / "config"


def _read_config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    path = paths.home() / "az" / "config"
    if path.exists():
        parser.read(path)
    return parser


def config_path() -> str:
    """Where the configuration lives (shown by `az configure --list-defaults` as each value's source)."""
    return str(paths.home() / "az" / "config")


def defaults() -> dict[str, str]:
    """The configured defaults (`group`, `workspace`, `location`...), empty values left out."""
    parser = _read_config()
    if not parser.has_section("defaults"):
        return {}
    return {key: value for key, value in parser.items("defaults") if value}


def set_defaults(values: dict[str, str]) -> None:
    """Set defaults; an empty value removes that default (as `az configure --defaults group=` does)."""
    parser = _read_config()
    if not parser.has_section("defaults"):
        parser.add_section("defaults")
    for key, value in values.items():
        if value:
            parser.set("defaults", key, value)
        else:
            parser.remove_option("defaults", key)
    with _config_file().open("w") as handle:
        parser.write(handle)


# ---- the signed-in account ---------------------------------------------------------------------------

def _account_file():
    return paths.home() / "az" / "account.json"


def current_subscription() -> str | None:
    """The subscription `az account set` chose, if any."""
    path = _account_file()
    return json.loads(path.read_text()).get("subscription") if path.exists() else None


def set_current_subscription(subscription_id: str) -> None:
    """Remember the subscription later commands use."""
    paths.subdir("az")
    _account_file().write_text(json.dumps({"subscription": subscription_id}))
