"""Blob storage of the simulated storage accounts: containers are folders, blobs are files.

A storage account belongs to a workspace: the workspace's own account (`record.storage_account`), or an account
that one of its datastores names (a learner's `AzureBlobDatastore(account_name=...)`, placeholders included).
Container `<c>` of account `<a>` is the folder `<storage_root>/<a>/<c>/`, the same folder
`sim.cloud.datastores.content_root` gives a datastore on that container, so SDK v1 (`Datastore`, `Dataset`),
SDK v2 (through the blob service) and jobs all see the same files. Containers that no datastore names (code
snapshots) live beside them.

What a file cannot carry lives in the workspace's state database: user metadata (`x-ms-meta-*`, which
azure-ai-ml uses to confirm an upload), content type and MD5. Blocks staged with Put Block wait in
`<workspace>/blob-blocks/` until Put Block List commits them. A file written by other means (a v1 upload, a
job's output) is a blob with no metadata.

Not simulated: page and append blobs, snapshots, versions, leases, tiers, tags, soft delete, and checking
signatures (any SAS token or key is accepted; listSecrets already decided who may write).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from sim import messages
from sim.cloud import datastores, storage_ceiling, store, workspaces
from sim.cloud.errors import Conflict, NotFound, StorageFull, UserError

STORAGE = "storage"  # the error family of blob storage (no SDK face maps it: only the REST service raises it)

_metadata = sa.MetaData()
_blob_properties = sa.Table(
    "blob_properties",
    _metadata,
    sa.Column("account", sa.String(64), primary_key=True),
    sa.Column("container", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(1024), primary_key=True),
    sa.Column("metadata", sa.Text, nullable=False),  # JSON object of x-ms-meta-* values
    sa.Column("content_type", sa.String(255)),
    sa.Column("content_md5", sa.String(64)),
    sa.Column("creation_time", sa.String(40), nullable=False),
)


@dataclass(frozen=True)
class Container:
    """One blob container of a storage account, and the folder that holds it."""

    record: object  # the workspace record owning the account
    account: str  # the account name as the workspace spells it (the folder's name)
    name: str

    @property
    def path(self) -> Path:
        """The container's folder (it may not exist yet)."""
        return Path(self.record.storage_root) / self.account / self.name


@dataclass(frozen=True)
class BlobProperties:
    """What Get Blob Properties answers."""

    name: str
    size: int
    last_modified: datetime
    creation_time: datetime
    etag: str
    content_type: str
    content_md5: str | None
    metadata: dict


def _engine(record):
    engine = store.engine(record)
    datastores.ensure_tables(_metadata, engine)
    return engine


# ----------------------------------------------------------------------------------------- accounts

def _accounts_of(record) -> dict[str, str]:
    """Lower-cased account name -> the spelling of its folder, for the accounts a workspace holds."""
    own = datastores.storage_account_name(record)
    found = {own.lower(): own}
    for rec in datastores.list(record):
        account = rec.properties.get("account_name")
        if rec.holds_files and account:
            found.setdefault(account.lower(), account)
    return found


def find_account(account: str) -> tuple[object, str]:
    """The workspace that holds storage account `account`, and the account's folder name.

    A workspace's own account wins over a datastore's; among datastores naming the same placeholder account
    in several workspaces, the first workspace by name wins.

    Raises:
        NotFound: no workspace has that account.
    """
    wanted = account.lower()
    records = workspaces.list_workspaces()
    for record in records:
        if datastores.storage_account_name(record).lower() == wanted:
            return record, datastores.storage_account_name(record)
    for record in records:
        spelled = _accounts_of(record).get(wanted)
        if spelled:
            return record, spelled
    raise NotFound(STORAGE, messages.BLOB_ACCOUNT_NOT_FOUND.format(account=account), code="ResourceNotFound")


def container(account: str, name: str) -> Container:
    """The container `name` of `account` (whether or not it exists yet).

    A container that a datastore names exists: its folder is made on first use, as `content_root` does.
    """
    record, spelled = find_account(account)
    found = Container(record, spelled, name)
    if not found.path.is_dir() and _named_by_datastore(found):
        found.path.mkdir(parents=True, exist_ok=True)
    return found


def _named_by_datastore(box: Container) -> bool:
    for rec in datastores.list(box.record):
        props = rec.properties
        if rec.holds_files and (props.get("account_name") or "").lower() == box.account.lower() and \
                box.name in (props.get("container_name"), props.get("filesystem")):
            return True
    return False


def existing_container(account: str, name: str) -> Container:
    """Like :func:`container`, but a 404 ContainerNotFound when its folder does not exist."""
    found = container(account, name)
    if not found.path.is_dir():
        raise NotFound(STORAGE, messages.BLOB_CONTAINER_NOT_FOUND.format(container=name), code="ContainerNotFound")
    return found


def create_container(account: str, name: str) -> Container:
    """Create a container (409 ContainerAlreadyExists when it exists)."""
    found = container(account, name)
    if found.path.is_dir():
        raise Conflict(STORAGE, messages.BLOB_CONTAINER_EXISTS.format(container=name), code="ContainerAlreadyExists")
    found.path.mkdir(parents=True)
    return found


def delete_container(account: str, name: str) -> None:
    """Delete a container, its blobs and their metadata."""
    found = existing_container(account, name)
    shutil.rmtree(found.path)
    with _engine(found.record).begin() as conn:
        conn.execute(sa.delete(_blob_properties).where(*_where_container(found)))


def _where_container(box: Container):
    return (_blob_properties.c.account == box.account.lower(), _blob_properties.c.container == box.name)


# -------------------------------------------------------------------------------------------- blobs

def blob_path(box: Container, name: str) -> Path:
    """The file of blob `name` (400 InvalidUri for a name that would leave the container)."""
    parts = name.split("/")
    if not name or name.endswith("/") or any(p in ("", ".", "..") for p in parts):
        raise UserError(STORAGE, messages.BLOB_BAD_NAME.format(name=name), code="InvalidUri")
    return box.path.joinpath(*parts)


def _file_of(box: Container, name: str) -> Path:
    if name.endswith("/") and name.strip("/"):  # a valid blob name in Azure, never a file here: no such blob
        raise NotFound(STORAGE, messages.BLOB_NOT_FOUND.format(name=name), code="BlobNotFound")
    path = blob_path(box, name)
    if not path.is_file():
        raise NotFound(STORAGE, messages.BLOB_NOT_FOUND.format(name=name), code="BlobNotFound")
    return path


def etag_of(path: Path) -> str:
    """An ETag that changes whenever the file does."""
    stat = path.stat()
    return f'"0x{stat.st_mtime_ns:X}{stat.st_size:X}"'


def properties(box: Container, name: str) -> BlobProperties:
    """Get Blob Properties (404 BlobNotFound)."""
    path = _file_of(box, name)
    row = _row(box, name)
    stat = path.stat()
    modified = datetime.fromtimestamp(stat.st_mtime, UTC)
    created = datetime.fromisoformat(row.creation_time) if row else modified
    return BlobProperties(name=name, size=stat.st_size, last_modified=modified, creation_time=created,
                          etag=etag_of(path), content_type=(row.content_type if row else None)
                          or "application/octet-stream", content_md5=row.content_md5 if row else None,
                          metadata=json.loads(row.metadata) if row else {})


def _row(box: Container, name: str):
    with _engine(box.record).connect() as conn:
        return conn.execute(sa.select(_blob_properties).where(*_where_container(box),
                                                              _blob_properties.c.name == name)).first()


def read(box: Container, name: str, start: int = 0, end: int | None = None) -> bytes:
    """The bytes of a blob from `start` to `end` (inclusive; None: to the end)."""
    path = _file_of(box, name)
    with path.open("rb") as handle:
        handle.seek(start)
        return handle.read() if end is None else handle.read(end - start + 1)


def write(box: Container, name: str, data: bytes, *, content_type: str | None = None, metadata: dict | None = None,
          overwrite: bool = True) -> BlobProperties:
    """Put Blob: write the whole blob and replace its metadata (409 BlobAlreadyExists without overwrite; 403
    ShareSizeLimitReached when the simulated storage is at its ceiling)."""
    with storage_ceiling.accepting(len(data), f"the blob '{name}'", STORAGE):
        return _store(box, name, data, content_type=content_type, metadata=metadata, overwrite=overwrite)


def _store(box: Container, name: str, data: bytes, *, content_type: str | None, metadata: dict | None,
           overwrite: bool = True) -> BlobProperties:
    path = blob_path(box, name)
    if not box.path.is_dir():
        raise NotFound(STORAGE, messages.BLOB_CONTAINER_NOT_FOUND.format(container=box.name), code="ContainerNotFound")
    if path.exists() and not overwrite:
        raise Conflict(STORAGE, messages.BLOB_EXISTS.format(name=name), code="BlobAlreadyExists")
    _write_file(path, data, name)
    md5 = base64.b64encode(hashlib.md5(data).digest()).decode()  # noqa: S324 - Azure's Content-MD5, not security
    _save_row(box, name, metadata or {}, content_type, md5)
    return properties(box, name)


def _write_file(path: Path, data: bytes, name: str) -> None:
    """Write atomically: a reader never sees half a blob."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise Conflict(STORAGE, messages.BLOB_PATH_CONFLICT.format(name=name), code="BlobPathConflict") from None
    if path.is_dir():
        raise Conflict(STORAGE, messages.BLOB_PATH_CONFLICT.format(name=name), code="BlobPathConflict")
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temp, path)


def _save_row(box: Container, name: str, metadata: dict, content_type: str | None, md5: str | None) -> None:
    row = {"account": box.account.lower(), "container": box.name, "name": name, "metadata": json.dumps(metadata),
           "content_type": content_type, "content_md5": md5}
    this_blob = (*_where_container(box), _blob_properties.c.name == name)
    with _engine(box.record).begin() as conn:
        created = conn.execute(sa.select(_blob_properties.c.creation_time).where(*this_blob)).scalar()
        conn.execute(sa.delete(_blob_properties).where(*this_blob))
        conn.execute(sa.insert(_blob_properties).values(**row, creation_time=created or datetime.now(UTC).isoformat()))


def set_metadata(box: Container, name: str, metadata: dict) -> BlobProperties:
    """Set Blob Metadata: replace the blob's user metadata."""
    current = properties(box, name)
    _save_row(box, name, metadata, current.content_type, current.content_md5)
    return properties(box, name)


def delete(box: Container, name: str) -> None:
    """Delete a blob and its metadata (404 BlobNotFound)."""
    path = _file_of(box, name)
    path.unlink()
    with _engine(box.record).begin() as conn:
        conn.execute(sa.delete(_blob_properties).where(*_where_container(box), _blob_properties.c.name == name))


def list_blobs(box: Container, prefix: str = "", delimiter: str | None = None) -> list[tuple[str, bool]]:
    """Blob names under `prefix` in Azure's order, as (name, is_prefix); with a delimiter, folders roll up."""
    names = sorted(p.relative_to(box.path).as_posix() for p in box.path.rglob("*")
                   if p.is_file() and not p.name.startswith(".upload-"))
    out, seen = [], set()
    for name in names:
        if not name.startswith(prefix):
            continue
        cut = name.find(delimiter, len(prefix)) if delimiter else -1
        if cut < 0:
            out.append((name, False))
        elif (rolled := name[:cut + len(delimiter)]) not in seen:
            seen.add(rolled)
            out.append((rolled, True))
    return sorted(out)


def metadata_of(box: Container, names: list[str]) -> dict[str, dict]:
    """The user metadata of several blobs at once (listing with include=metadata)."""
    with _engine(box.record).connect() as conn:
        rows = conn.execute(sa.select(_blob_properties.c.name, _blob_properties.c.metadata)
                            .where(*_where_container(box))).all()
    wanted = set(names)
    return {r.name: json.loads(r.metadata) for r in rows if r.name in wanted}


# ------------------------------------------------------------------------------------- staged blocks

def _blocks_dir(box: Container, name: str) -> Path:
    key = hashlib.sha1(f"{box.account.lower()}/{box.name}/{name}".encode()).hexdigest()  # noqa: S324 - a key
    return Path(box.record.folder) / "blob-blocks" / key


def _block_file(box: Container, name: str, block_id: str) -> Path:
    return _blocks_dir(box, name) / hashlib.sha1(block_id.encode()).hexdigest()  # noqa: S324 - a file name


def stage_block(box: Container, name: str, block_id: str, data: bytes) -> None:
    """Put Block: keep one uncommitted block of a blob."""
    blob_path(box, name)  # validates the name
    if not box.path.is_dir():
        raise NotFound(STORAGE, messages.BLOB_CONTAINER_NOT_FOUND.format(container=box.name), code="ContainerNotFound")
    target = _block_file(box, name, block_id)
    try:
        with storage_ceiling.accepting(len(data), f"a block of the blob '{name}'", STORAGE):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except StorageFull:
        shutil.rmtree(_blocks_dir(box, name), ignore_errors=True)  # the upload fails: its staged blocks go too
        raise


def commit_blocks(box: Container, name: str, block_ids: list[str], *, content_type: str | None = None,
                  metadata: dict | None = None) -> BlobProperties:
    """Put Block List: the blob becomes its staged blocks in this order (400 InvalidBlockList for a missing one)."""
    files = [_block_file(box, name, b) for b in block_ids]
    missing = [b for b, f in zip(block_ids, files, strict=True) if not f.is_file()]
    if missing:
        raise UserError(STORAGE, messages.BLOB_BLOCK_MISSING.format(name=name, block=missing[0]),
                        code="InvalidBlockList")
    data = b"".join(f.read_bytes() for f in files)
    # not `write`: the blocks were counted against the ceiling when they were staged, and go once it is written
    result = _store(box, name, data, content_type=content_type, metadata=metadata)
    shutil.rmtree(_blocks_dir(box, name), ignore_errors=True)
    return result
