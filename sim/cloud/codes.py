"""Code assets (SDK v2's `Code`, what `command(code="./src")` uploads): a snapshot folder in blob storage.

The client asks for a place to upload (`start_pending_upload`: a fresh container of the workspace's storage
account), uploads the folder there through the blob service, then creates the version with the snapshot's URI
and content hash. Next time the same folder hashes the same, the client finds the version by hash and uploads
nothing. Versions follow `sim.cloud.assets` (the URI cannot change). A job copies the snapshot from
:func:`local_path`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sim.cloud import assets, blobs, data_uris, datastores

KIND = "codes"
WHAT = "Code asset"
CODE = "code"  # the error family (only the REST service raises it)


@dataclass(frozen=True)
class CodeAsset:
    """One version of a code asset."""

    name: str
    version: str
    code_uri: str
    is_anonymous: bool = False
    description: str | None = None
    tags: dict = field(default_factory=dict)
    properties: dict = field(default_factory=dict)
    created_time: str = ""
    modified_time: str = ""

    @property
    def content_hash(self) -> str | None:
        """The SHA-256 the client computed over the folder (None when it gave none)."""
        return self.properties.get("hash_sha256")


def _asset(version: assets.AssetVersion) -> CodeAsset:
    spec = version.spec
    return CodeAsset(name=version.name, version=version.version, code_uri=spec["code_uri"],
                     is_anonymous=bool(spec.get("is_anonymous")), description=spec.get("description"),
                     tags=spec.get("tags") or {}, properties=spec.get("properties") or {},
                     created_time=version.created_time, modified_time=version.modified_time)


def start_pending_upload(record) -> str:
    """A new, empty container of the workspace's storage account for one snapshot; returns its URL."""
    account = datastores.storage_account_name(record)
    name = f"{record.workspace_id}-{secrets.token_hex(5)}".lower()
    blobs.create_container(account, name)
    return f"https://{account}.blob.core.windows.net/{name}"


def create_or_update(record, name: str, version: str, *, code_uri: str, is_anonymous: bool = False,
                     description: str | None = None, tags: dict | None = None,
                     properties: dict | None = None) -> tuple[CodeAsset, bool]:
    """Create a version (or update its description, tags, properties); the URI of a version cannot change."""
    spec = {"code_uri": code_uri, "is_anonymous": bool(is_anonymous), "description": description,
            "tags": tags or {}, "properties": properties or {}}
    stored, created = assets.put_version(record, KIND, name, str(version), spec, family=CODE,
                                         immutable=("code_uri",))
    return _asset(stored), created


def get(record, name: str, version: str) -> CodeAsset:
    """One version (NotFound when missing)."""
    return _asset(assets.get_version(record, KIND, name, str(version), family=CODE, what=WHAT))


def versions(record, name: str | None = None, view: str = assets.ACTIVE_ONLY) -> list[CodeAsset]:
    """Versions of one code asset (or of all), newest first."""
    return [_asset(v) for v in assets.list_versions(record, KIND, name, view)]


def find_by_hash(record, name: str, content_hash: str) -> list[CodeAsset]:
    """Snapshots of the same content: versions of `name` first, then anonymous ones of any name.

    An anonymous code asset gets a new random name from the client each time, so the content hash is what finds
    the earlier upload (the client then reads the name and version from the answer's id).
    """
    same = [c for c in versions(record) if c.content_hash == content_hash]
    return [c for c in same if c.name == name] + [c for c in same if c.name != name and c.is_anonymous]


def containers(record, view: str = assets.ACTIVE_ONLY) -> list[assets.AssetContainer]:
    """Every code asset name, by name."""
    return assets.list_containers(record, KIND, view)


def container(record, name: str) -> assets.AssetContainer:
    """One code asset name (NotFound when it has no version)."""
    return assets.get_container(record, KIND, name, family=CODE, what=WHAT)


def local_path(record, name: str, version: str) -> Path:
    """The snapshot folder of a code version on disk (what a job copies into its working folder)."""
    return data_uris.local_path(record, get(record, name, version).code_uri)
