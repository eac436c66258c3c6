"""Datastores of a simulated workspace: registrations, the default store, and their file contents.

A datastore is a named connection to a storage service.  Here every storage container (blob container,
file share, Data Lake Gen2 filesystem) is a folder under the workspace's ``storage_root``:
``<storage_root>/<account_name>/<container_name>/``.  Two datastores that point at the same account and
container therefore see the same files, as in Azure.  Database datastores (Azure SQL, PostgreSQL, MySQL) and
DBFS hold no files here: they are registrations only.

Credentials given at registration (account keys, SAS tokens, client secrets, passwords) go to the
workspace key vault through :mod:`sim.cloud.keyvault`; the state database only records *which* secrets
exist.  Every write is authorized through :func:`sim.cloud.access.authorize`.

Not simulated: Azure Data Lake Gen1 and HDFS datastores, managed-identity data access, and network checks
of the storage account (registration never contacts anything).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from sim import messages
from sim.cloud import access, keyvault, storage_ceiling, store
from sim.cloud.errors import DATASTORE, Conflict, NotFound, UserError

WORKSPACE_BLOB_DATASTORE = "workspaceblobstore"
WORKSPACE_FILE_DATASTORE = "workspacefilestore"

AZURE_BLOB = "AzureBlob"
AZURE_FILE = "AzureFile"
AZURE_DATA_LAKE_GEN2 = "AzureDataLakeGen2"
AZURE_SQL_DATABASE = "AzureSqlDatabase"
AZURE_POSTGRESQL = "AzurePostgreSql"
AZURE_MYSQL = "AzureMySql"
DBFS = "DBFS"

#: Datastore types whose contents are files (a folder on disk here).
FILE_TYPES = frozenset({AZURE_BLOB, AZURE_FILE, AZURE_DATA_LAKE_GEN2})

_WRITE = "Microsoft.MachineLearningServices/workspaces/datastores/write"
_DELETE = "Microsoft.MachineLearningServices/workspaces/datastores/delete"
_LIST_SECRETS = "Microsoft.MachineLearningServices/workspaces/datastores/listsecrets/action"

_NAME_RE = re.compile(r"^[a-z0-9_]{1,255}$")

_metadata = sa.MetaData()
_datastores = sa.Table(
    "datastores",
    _metadata,
    sa.Column("name", sa.String(255), primary_key=True),
    sa.Column("datastore_type", sa.String(40), nullable=False),
    sa.Column("properties", sa.Text, nullable=False),  # JSON, never a secret
    sa.Column("credential_type", sa.String(40), nullable=False),
    sa.Column("secret_fields", sa.Text, nullable=False),  # JSON list of key-vault field names
    sa.Column("is_default", sa.Boolean, nullable=False, default=False),
)


@dataclass(frozen=True)
class DatastoreRecord:
    """One registered datastore, as the service stores it (no secret values)."""

    name: str
    datastore_type: str
    properties: dict = field(default_factory=dict)
    credential_type: str = "None"
    secret_fields: tuple = ()
    is_default: bool = False

    @property
    def holds_files(self) -> bool:
        """True for blob, file share and Data Lake Gen2 datastores (their contents are files)."""
        return self.datastore_type in FILE_TYPES


_ensure_lock = threading.Lock()


def ensure_tables(metadata, engine) -> None:
    """``store.ensure`` that tolerates another thread or process creating the same tables at once."""
    with _ensure_lock:  # threads of this process take turns; other processes are retried below
        for attempt in range(5):
            try:
                store.ensure(metadata, engine)
                return
            except sa.exc.OperationalError as exc:
                if "already exists" not in str(exc) or attempt == 4:
                    raise


def _engine(record):
    engine = store.engine(record)
    ensure_tables(_metadata, engine)
    return engine


def _row_to_record(row) -> DatastoreRecord:
    return DatastoreRecord(
        name=row.name,
        datastore_type=row.datastore_type,
        properties=json.loads(row.properties),
        credential_type=row.credential_type,
        secret_fields=tuple(json.loads(row.secret_fields)),
        is_default=bool(row.is_default),
    )


def storage_account_name(record) -> str:
    """The name of the workspace's own storage account (stable, lowercase, at most 24 characters)."""
    explicit = getattr(record, "storage_account", "") or ""
    if explicit:  # an Azure resource id: the account name is its last segment
        return explicit.rstrip("/").rsplit("/", 1)[-1]
    digest = hashlib.sha1(f"{record.subscription_id}/{record.resource_group}/{record.name}".encode()).hexdigest()
    prefix = re.sub(r"[^a-z0-9]", "", record.name.lower())[:12]
    return f"{prefix}{digest[:24 - len(prefix)]}"


def _default_container(record, kind: str) -> str:
    digest = hashlib.sha1(f"{record.subscription_id}/{record.resource_group}/{record.name}".encode()).hexdigest()
    guid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    return f"azureml-{kind}-{guid}"


def create_defaults(record) -> None:
    """Create ``workspaceblobstore`` (the default) and ``workspacefilestore`` if they are missing.

    Called when a workspace is created; every other function here also calls it, so a workspace made
    before this module existed still gets its default datastores.  Idempotent.
    """
    engine = _engine(record)
    with engine.connect() as conn:
        present = {r.name for r in conn.execute(sa.select(_datastores.c.name))}
    if {WORKSPACE_BLOB_DATASTORE, WORKSPACE_FILE_DATASTORE} <= present:
        return
    account = storage_account_name(record)
    account_key = _account_key(record, account)
    for name, dtype, kind in ((WORKSPACE_BLOB_DATASTORE, AZURE_BLOB, "blobstore"),
                              (WORKSPACE_FILE_DATASTORE, AZURE_FILE, "filestore")):
        if name in present:
            continue
        props = {"container_name": _default_container(record, kind), "account_name": account,
                 "protocol": "https", "endpoint": "core.windows.net"}
        try:
            _insert(record, engine, name, dtype, props, {"account_key": account_key},
                    is_default=(name == WORKSPACE_BLOB_DATASTORE and not present))
        except sa.exc.IntegrityError:  # another process made the defaults at the same moment
            pass


def _account_key(record, account: str) -> str:
    """The workspace storage account's key: made once, kept in the key vault like Azure does."""
    secret = f"storage-account-key-{account}"
    try:
        return keyvault.get_secret(record, secret)
    except Exception:  # absent: generate it (the key vault raises its own not-found error)
        key = base64.b64encode(os.urandom(64)).decode()
        keyvault.set_secret(record, secret, key)
        return key


def _secret_name(datastore_name: str, field_name: str) -> str:
    # Key vault names allow letters, digits and dashes only; datastore names have no dashes, so
    # swapping '_' for '-' cannot make two datastores collide.
    return f"datastore-{datastore_name.replace('_', '-')}-{field_name.replace('_', '-')}"


def _credential_type(dtype: str, secrets: dict) -> str:
    if "sas_token" in secrets:
        return "Sas"
    if "account_key" in secrets:
        return "AccountKey"
    if "client_secret" in secrets:
        return "ServicePrincipal" if dtype != AZURE_DATA_LAKE_GEN2 else "ClientCredentials"
    if "password" in secrets:
        return "SqlAuthentication"
    return "None"


def _insert(record, engine, name, dtype, props, secrets, is_default=False, replace=False):
    secrets = {k: v for k, v in secrets.items() if v}
    for key, value in secrets.items():
        keyvault.set_secret(record, _secret_name(name, key), str(value))
    row = {"name": name, "datastore_type": dtype, "properties": json.dumps(props, sort_keys=True),
           "credential_type": _credential_type(dtype, secrets), "secret_fields": json.dumps(sorted(secrets)),
           "is_default": is_default}
    with engine.begin() as conn:
        if replace:
            row["is_default"] = bool(conn.execute(sa.select(_datastores.c.is_default)
                                                  .where(_datastores.c.name == name)).scalar())
            conn.execute(sa.delete(_datastores).where(_datastores.c.name == name))
        conn.execute(sa.insert(_datastores).values(**row))


def normalize_name(name) -> str:
    """Validate a datastore name and lower-case it, as the service does.

    Raises:
        UserError: the name is not a string of letters, digits and underscores.
    """
    if not isinstance(name, str) or not _NAME_RE.match(name.lower()):
        raise UserError(DATASTORE, messages.DATASTORE_BAD_NAME.format(name=name))
    return name.lower()


def register(record, name: str, datastore_type: str, properties: dict, secrets: dict | None = None,
             overwrite: bool = False) -> DatastoreRecord:
    """Register (or, with ``overwrite``, update) a datastore.

    Registering the same name again with the same settings is harmless; different settings without
    ``overwrite`` raise the service's conflict error.

    Args:
        record: the workspace record.
        name: datastore name (lower-cased).
        datastore_type: one of the ``AZURE_*`` / ``DBFS`` constants.
        properties: non-secret connection settings (container_name, account_name, server_name, ...).
        secrets: credential values, stored in the key vault only.
        overwrite: replace an existing datastore of that name.

    Returns:
        The stored record.
    """
    create_defaults(record)
    name = normalize_name(name)
    access.authorize(record, _WRITE)
    secrets = dict(secrets or {})
    properties = {k: v for k, v in properties.items() if v is not None}
    existing = _find(record, name)
    if existing is not None and not overwrite:
        if existing.datastore_type == datastore_type and existing.properties == properties:
            return existing
        raise Conflict(DATASTORE, messages.DATASTORE_CONFLICT.format(name=name))
    engine = _engine(record)
    try:
        _insert(record, engine, name, datastore_type, properties, secrets, replace=existing is not None)
    except sa.exc.IntegrityError:  # another process registered the name a moment ago
        if not overwrite:
            raise Conflict(DATASTORE, messages.DATASTORE_CONFLICT.format(name=name)) from None
        _insert(record, engine, name, datastore_type, properties, secrets, replace=True)
    if existing is not None:  # credentials the new settings no longer use leave the key vault
        kept = {k for k, v in secrets.items() if v}
        for key in set(existing.secret_fields) - kept:
            _forget_secret(record, _secret_name(name, key))
    return get(record, name)


def _find(record, name: str) -> DatastoreRecord | None:
    with _engine(record).connect() as conn:
        row = conn.execute(sa.select(_datastores).where(_datastores.c.name == name)).first()
    return _row_to_record(row) if row else None


def get(record, name: str) -> DatastoreRecord:
    """Return the datastore called ``name``.

    Raises:
        NotFound: no datastore of that name (the service's "Could not find datastore" error).
    """
    create_defaults(record)
    found = _find(record, name.lower()) if isinstance(name, str) else None
    if found is None:
        raise NotFound(DATASTORE, messages.DATASTORE_NOT_FOUND.format(
            name=name, available=", ".join(d.name for d in _all(record))))
    return found


def list(record) -> list[DatastoreRecord]:  # noqa: A001 - the service operation is called list
    """All datastores of the workspace, sorted by name."""
    return _all(record)


def _all(record) -> list[DatastoreRecord]:
    create_defaults(record)
    with _engine(record).connect() as conn:
        rows = conn.execute(sa.select(_datastores).order_by(_datastores.c.name)).all()
    return [_row_to_record(r) for r in rows]


def default(record) -> DatastoreRecord:
    """The workspace's default datastore (``workspaceblobstore`` unless changed)."""
    create_defaults(record)
    with _engine(record).connect() as conn:
        row = conn.execute(sa.select(_datastores).where(_datastores.c.is_default.is_(True))).first()
    return _row_to_record(row) if row else get(record, WORKSPACE_BLOB_DATASTORE)


def set_default(record, name: str) -> DatastoreRecord:
    """Make ``name`` the workspace's default datastore (it must exist and hold files)."""
    target = get(record, name)
    access.authorize(record, _WRITE)
    if not target.holds_files:
        raise UserError(DATASTORE, messages.DATASTORE_DEFAULT_NOT_STORAGE.format(
            name=target.name, datastore_type=target.datastore_type))
    with _engine(record).begin() as conn:
        conn.execute(sa.update(_datastores).values(is_default=False))
        conn.execute(sa.update(_datastores).where(_datastores.c.name == target.name).values(is_default=True))
    return get(record, target.name)


def unregister(record, name: str) -> None:
    """Remove a datastore registration; the storage contents stay, as in Azure.

    Raises:
        NotFound: the datastore does not exist; UserError: it is the workspace's default.
    """
    target = get(record, name)
    access.authorize(record, _DELETE)
    if target.is_default:
        raise UserError(DATASTORE, messages.DATASTORE_UNREGISTER_DEFAULT.format(name=target.name))
    with _engine(record).begin() as conn:
        conn.execute(sa.delete(_datastores).where(_datastores.c.name == target.name))
    for key in target.secret_fields:
        _forget_secret(record, _secret_name(target.name, key))


def _forget_secret(record, secret_name: str) -> None:
    delete = getattr(keyvault, "delete_secret", None)
    if delete is not None:
        try:
            delete(record, secret_name)
        except Exception:  # already gone: nothing to clean up
            pass


def secrets(record, name: str) -> dict:
    """The credential values of a datastore, read from the key vault (needs the listsecrets action)."""
    target = get(record, name)
    if not target.secret_fields:
        return {}
    access.authorize(record, _LIST_SECRETS)
    return {key: keyvault.get_secret(record, _secret_name(target.name, key)) for key in target.secret_fields}


# ----------------------------------------------------------------------------------------- contents

def content_root(record, name: str) -> Path:
    """The folder that holds a file datastore's container (created on first use).

    Raises:
        UserError: the datastore is a database or DBFS datastore (it has no files here).
    """
    target = get(record, name)
    if not target.holds_files:
        raise UserError(DATASTORE, messages.DATASTORE_NO_FILES.format(
            name=target.name, datastore_type=target.datastore_type))
    props = target.properties
    container = props.get("container_name") or props.get("filesystem")
    root = Path(record.storage_root) / props["account_name"] / container
    root.mkdir(parents=True, exist_ok=True)
    return root


def clean_relative(path: str | None) -> str:
    """A datastore-relative path in POSIX form, without leading './' or '/' (the SDK's sanitizing)."""
    if not path:
        return ""
    path = str(path).replace("\\", "/")
    path = re.sub(r"^(\.*/)+", "", path)
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UserError(DATASTORE, messages.DATASTORE_PATH_ESCAPES.format(path=path))
    return "/".join(parts)


def upload(record, name: str, pairs, overwrite: bool = False, log=None) -> int:
    """Copy local files into a datastore.

    Args:
        record: the workspace record.
        name: datastore name.
        pairs: iterable of ``(local_file, target_relative_path)``.
        overwrite: replace files that already exist; otherwise they are skipped (the SDK's behaviour).
        log: optional callable taking one progress line.

    Returns:
        The number of files written.
    """
    root = content_root(record, name)
    access.authorize(record, _LIST_SECRETS)  # uploading uses the account key, as the SDK does
    pairs = [(Path(src), clean_relative(dst)) for src, dst in pairs]
    say = log or (lambda _line: None)
    say(f"Uploading an estimated of {len(pairs)} files")
    todo = _to_write(root, pairs, overwrite)
    size = sum(_size_of(src) for src, dst in todo if dst is not None)
    written = 0
    with storage_ceiling.accepting(size, f"files into datastore '{name}'", DATASTORE):  # all of it, or nothing
        for src, dst in todo:
            if dst is None:
                say(f"Target already exists. Skipping upload for {src}")
                continue
            say(f"Uploading {src}")
            target = root / dst
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
            written += 1
            say(f"Uploaded {src}, {written} files out of an estimated total of {len(pairs)}")
    say(f"Uploaded {written} files")
    return written


def _to_write(root: Path, pairs: list, overwrite: bool) -> list:
    """The upload's pairs in order, a skipped one as (its target path, None): it exists (or comes earlier in the
    same upload) and `overwrite` is off."""
    seen, out = set(), []
    for src, dst in pairs:
        skip = not overwrite and (dst in seen or (root / dst).exists())
        out.append((dst, None) if skip else (src, dst))
        seen.add(dst)
    return out


def _size_of(path: Path) -> int:
    """Bytes of a file to upload (0 for one that is not there: copying it then says so)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def list_files(record, name: str, prefix: str | None = None) -> list[str]:
    """Datastore-relative paths of every file under ``prefix`` (all files when None), sorted."""
    root = content_root(record, name)
    prefix = clean_relative(prefix)
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            if rel.startswith(prefix):  # blob listing semantics: a raw name prefix
                found.append(rel)
    return sorted(found)


def download(record, name: str, target_path, prefix: str | None = None, overwrite: bool = False,
             log=None) -> int:
    """Copy a datastore's files (under ``prefix``) into a local folder, keeping their relative paths.

    Returns:
        The number of files written; existing files are skipped unless ``overwrite``.
    """
    root = content_root(record, name)
    access.authorize(record, _LIST_SECRETS)
    say = log or (lambda _line: None)
    target_root = Path(target_path)
    target_root.mkdir(parents=True, exist_ok=True)
    written = 0
    names = list_files(record, name, prefix)
    for rel in names:
        dest = target_root / rel
        if dest.exists() and not overwrite:
            say(f"Path already exists. Skipping download for {dest}")
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, dest)
        written += 1
        say(f"Downloaded {rel}, {written} files out of an estimated total of {len(names)}")
    return written
