"""The workspace key vault: one file per secret, readable only by the owner (0600).

Secrets never go into `state.db`; datastore credentials and learner secrets live here. Names follow
Azure Key Vault's rules (1-127 letters, digits and hyphens). Writes need the workspace's
secrets write permission; reads need list/read, so a Reader cannot see secret values.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from sim import messages
from sim.cloud import access
from sim.cloud.errors import KEYVAULT, NotFound, UserError

_NAME = re.compile(r"^[0-9a-zA-Z-]{1,127}$")
# Workspace-level secret actions: a Data Scientist may use them (they match its */write, */action,
# */delete), a Reader may not read values (reading a secret is an action, not a */read).
SECRET_WRITE = "Microsoft.MachineLearningServices/workspaces/secrets/write"
SECRET_READ = "Microsoft.MachineLearningServices/workspaces/secrets/listsecrets/action"
SECRET_DELETE = "Microsoft.MachineLearningServices/workspaces/secrets/delete"
NOT_PROVIDED = "application/NotProvided"


def _check_name(name) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise UserError(KEYVAULT, messages.SECRET_NAME_INVALID.format(name=name), code="BadParameter")
    return name


def _secret_file(record, name: str) -> Path:
    # Key Vault names are case-insensitive: one file per lower-cased name.
    return record.keyvault_dir / f"{name.lower()}.json"


def _write_private(path: Path, payload: dict) -> None:
    """Write a file that only the owner can read, created with 0600 from the start (no window)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(payload, handle)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def set_secret(record, name: str, value: str, content_type: str = NOT_PROVIDED) -> None:
    """Create or overwrite a secret (a new value replaces the old one, as in Key Vault)."""
    _check_name(name)
    if not isinstance(value, str):
        raise UserError(KEYVAULT, messages.SECRET_VALUE_TYPE.format(name=name, type_name=type(value).__name__),
                        code="BadParameter")
    access.authorize(record, SECRET_WRITE, family=KEYVAULT)
    payload = {"name": name, "value": value, "content_type": str(content_type),
               "updated": datetime.now(UTC).isoformat()}
    _write_private(_secret_file(record, name), payload)


def _read(record, name: str) -> dict:
    _check_name(name)
    path = _secret_file(record, name)
    if not path.exists():
        raise NotFound(KEYVAULT, messages.SECRET_NOT_FOUND.format(name=name), code="SecretNotFound")
    return json.loads(path.read_text())


def get_secret(record, name: str) -> str:
    """The secret's value.

    Raises:
        UserError, NotFound, Forbidden: the name is invalid, the secret does not exist, or the caller may not
            read it.
    """
    access.authorize(record, SECRET_READ, family=KEYVAULT)
    return _read(record, name)["value"]


def get_secret_content_type(record, name: str) -> str:
    """The content type recorded with the secret."""
    access.authorize(record, SECRET_READ, family=KEYVAULT)
    return _read(record, name)["content_type"]


def list_secrets(record) -> list[str]:
    """The names of the vault's secrets, sorted (values are never listed)."""
    access.authorize(record, SECRET_READ, family=KEYVAULT)
    folder = record.keyvault_dir
    if not folder.exists():
        return []
    return sorted(json.loads(p.read_text())["name"] for p in folder.glob("*.json"))


def delete_secret(record, name: str) -> None:
    """Delete a secret.

    Raises:
        NotFound, Forbidden: the secret does not exist or the caller may not delete it.
    """
    _check_name(name)
    access.authorize(record, SECRET_DELETE, family=KEYVAULT)
    path = _secret_file(record, name)
    if not path.exists():
        raise NotFound(KEYVAULT, messages.SECRET_NOT_FOUND.format(name=name), code="SecretNotFound")
    path.unlink()


def secret_exists(record, name: str) -> bool:
    """True when the vault holds a secret of that name (no permission needed: it reveals no value)."""
    return _secret_file(record, _check_name(name)).exists()
