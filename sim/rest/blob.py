"""Blob storage (`<account>.blob.core.windows.net`) as azure-storage-blob and azure-ai-ml's uploads use it.

Containers: create, get properties, list blobs (prefix, delimiter, marker, include=metadata), delete.
Blobs: Put Blob, Put Block and Put Block List, Get Blob (whole or a range), Get Blob Properties (HEAD), Set Blob
Metadata, Delete Blob. State and rules are `sim.cloud.blobs`' (containers are the datastores' folders).

Any credential is accepted (SharedKey, SAS in the query, bearer token): signatures are not checked. Errors are
Azure Storage's: an XML `<Error><Code>` body and the `x-ms-error-code` header, which azure-storage-blob reads.
Metadata names travel as HTTP headers, which WSGI folds to upper case with '_' for '-'; Azure only allows C#
identifiers as names, so they come back lower-cased (azure-ai-ml's `upload_status`, `name`, `version` survive).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import uuid
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from sim.cloud import blobs
from sim.cloud.errors import CloudError
from sim.rest._errors import RestError

BLOB_HOST = "<account>.blob.core.windows.net"
API_VERSION = "2025-01-05"
META_PREFIX = "x-ms-meta-"
DEFAULT_PAGE = 5000


def _error_xml(status: int, code: str, message: str) -> Response:
    root = ET.Element("Error")
    ET.SubElement(root, "Code").text = code
    ET.SubElement(root, "Message").text = f"{message}\nRequestId:{uuid.uuid4()}\nTime:{_now_iso()}"
    return _xml_response(root, status, {"x-ms-error-code": code})


def storage_errors(handler):
    """Answer the service's errors as Azure Storage does (XML body, x-ms-error-code header)."""

    @functools.wraps(handler)
    def wrapped(request, **values):
        try:
            return handler(request, **values)
        except (CloudError, RestError) as exc:
            return _error_xml(exc.status, exc.code, exc.message)

    return wrapped


def _now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _base_headers(request) -> dict:
    return {"x-ms-request-id": str(uuid.uuid4()), "x-ms-version": request.headers.get("x-ms-version", API_VERSION),
            "Date": _http_date(datetime.now(UTC))}


def _xml_response(root: ET.Element, status: int = 200, headers: dict | None = None) -> Response:
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="utf-8")
    return Response(body, status=status, content_type="application/xml", headers=headers or {})


def _empty(request, status: int, extra: dict | None = None) -> Response:
    return Response(b"", status=status, headers={**_base_headers(request), **(extra or {})})


def request_metadata(request) -> dict:
    """The `x-ms-meta-*` headers of a request, as {name: value} (names lower-cased, see the module docstring)."""
    found = {}
    for key, value in request.headers.items():
        if key.lower().startswith(META_PREFIX):
            found[key[len(META_PREFIX):].lower().replace("-", "_")] = value
    return found


def _blob_headers(props: blobs.BlobProperties) -> dict:
    headers = {"ETag": props.etag, "Last-Modified": _http_date(props.last_modified),
               "x-ms-creation-time": _http_date(props.creation_time), "x-ms-blob-type": "BlockBlob",
               "Content-Type": props.content_type, "x-ms-lease-status": "unlocked", "x-ms-lease-state": "available",
               "x-ms-server-encrypted": "true", "x-ms-access-tier": "Hot", "x-ms-access-tier-inferred": "true",
               "Accept-Ranges": "bytes"}
    if props.content_md5:
        headers["Content-MD5"] = props.content_md5
    headers.update({f"{META_PREFIX}{k}": v for k, v in props.metadata.items()})
    return headers


# --------------------------------------------------------------------------------------- containers

@storage_errors
def container_operation(request, account, container):
    """Container-level requests, told apart by `restype` and `comp` as the Blob service does."""
    comp = request.args.get("comp")
    if request.method == "GET" and comp == "list":
        return list_blobs(request, blobs.existing_container(account, container))
    if request.args.get("restype") != "container" or comp not in (None, "metadata"):
        raise RestError(400, "UnsupportedQueryParameter",
                        f"{request.method} with {dict(request.args)} on a container is not simulated.")
    if request.method == "PUT":
        blobs.create_container(account, container)
        return _empty(request, 201, _container_headers(account, container))
    if request.method == "DELETE":
        blobs.delete_container(account, container)
        return _empty(request, 202)
    blobs.existing_container(account, container)
    return _empty(request, 200, _container_headers(account, container))


def _container_headers(account: str, container: str) -> dict:
    folder = blobs.existing_container(account, container).path
    modified = datetime.fromtimestamp(folder.stat().st_mtime, UTC)
    return {"ETag": blobs.etag_of(folder), "Last-Modified": _http_date(modified),
            "x-ms-lease-status": "unlocked", "x-ms-lease-state": "available"}


def list_blobs(request, box: blobs.Container) -> Response:
    """List Blobs: the EnumerationResults XML, one page after `marker`."""
    prefix, delimiter = request.args.get("prefix", ""), request.args.get("delimiter") or None
    marker, size = request.args.get("marker") or "", int(request.args.get("maxresults") or DEFAULT_PAGE)
    entries = [e for e in blobs.list_blobs(box, prefix, delimiter) if e[0] >= marker]
    page, rest = entries[:size], entries[size:]
    wants_metadata = "metadata" in request.args.get("include", "").split(",")
    metadata = blobs.metadata_of(box, [n for n, folder in page if not folder]) if wants_metadata else {}
    root = ET.Element("EnumerationResults", ServiceEndpoint=f"https://{request.host}/", ContainerName=box.name)
    for tag, value in (("Prefix", prefix), ("Marker", marker), ("MaxResults", str(size)), ("Delimiter", delimiter)):
        if value:
            ET.SubElement(root, tag).text = value
    listed = ET.SubElement(root, "Blobs")
    for name, is_folder in page:
        if is_folder:
            ET.SubElement(ET.SubElement(listed, "BlobPrefix"), "Name").text = name
        else:
            _blob_element(listed, box, name, metadata.get(name, {}) if wants_metadata else None)
    ET.SubElement(root, "NextMarker").text = rest[0][0] if rest else None
    return _xml_response(root, 200, _base_headers(request))


def _blob_element(parent: ET.Element, box: blobs.Container, name: str, metadata: dict | None) -> None:
    props = blobs.properties(box, name)
    item = ET.SubElement(parent, "Blob")
    ET.SubElement(item, "Name").text = name
    fields = ET.SubElement(item, "Properties")
    for tag, value in (("Creation-Time", _http_date(props.creation_time)),
                       ("Last-Modified", _http_date(props.last_modified)), ("Etag", props.etag),
                       ("Content-Length", str(props.size)), ("Content-Type", props.content_type),
                       ("Content-MD5", props.content_md5), ("BlobType", "BlockBlob"), ("AccessTier", "Hot"),
                       ("AccessTierInferred", "true"), ("LeaseStatus", "unlocked"), ("LeaseState", "available"),
                       ("ServerEncrypted", "true")):
        ET.SubElement(fields, tag).text = value
    if metadata is not None:
        holder = ET.SubElement(item, "Metadata")
        for key, value in metadata.items():
            ET.SubElement(holder, key).text = value


# -------------------------------------------------------------------------------------------- blobs

@storage_errors
def blob_operation(request, account, container, blob):
    """Blob-level requests, told apart by method and `comp`."""
    box = blobs.container(account, container)
    comp = request.args.get("comp")
    if request.method == "PUT":
        return _put(request, box, blob, comp)
    if request.method == "DELETE":
        blobs.delete(box, blob)
        return _empty(request, 202, {"x-ms-delete-type-permanent": "true"})
    if request.method == "HEAD":
        props = blobs.properties(box, blob)
        answer = _empty(request, 200, _blob_headers(props))
        answer.headers["Content-Length"] = str(props.size)  # the blob's size, though no body is sent
        return answer
    if comp in (None, ""):
        return get_blob(request, box, blob)
    raise RestError(400, "UnsupportedQueryParameter", f"GET with comp={comp} on a blob is not simulated.")


def _put(request, box, blob, comp):
    data = request.get_data()
    if comp == "block":
        blobs.stage_block(box, blob, request.args.get("blockid", ""), data)
        return _empty(request, 201, {"Content-MD5": _md5(data), "x-ms-request-server-encrypted": "true"})
    if comp == "blocklist":
        props = blobs.commit_blocks(box, blob, block_list_ids(data), content_type=_content_type(request),
                                    metadata=request_metadata(request))
        return _empty(request, 201, _write_headers(props))
    if comp == "metadata":
        props = blobs.set_metadata(box, blob, request_metadata(request))
        return _empty(request, 200, _write_headers(props))
    if comp in (None, ""):
        overwrite = request.headers.get("If-None-Match") != "*"
        props = blobs.write(box, blob, data, content_type=_content_type(request),
                            metadata=request_metadata(request), overwrite=overwrite)
        return _empty(request, 201, {**_write_headers(props), "Content-MD5": _md5(data)})
    raise RestError(400, "UnsupportedQueryParameter", f"PUT with comp={comp} on a blob is not simulated.")


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()  # noqa: S324 - Azure's Content-MD5


def _content_type(request) -> str | None:
    return request.headers.get("x-ms-blob-content-type")


def _write_headers(props: blobs.BlobProperties) -> dict:
    return {"ETag": props.etag, "Last-Modified": _http_date(props.last_modified),
            "x-ms-request-server-encrypted": "true"}


def block_list_ids(body: bytes) -> list[str]:
    """The block ids of a Put Block List body, in order (Latest, Committed and Uncommitted alike)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise RestError(400, "InvalidXmlDocument", f"XML specified is not syntactically valid: {exc}") from exc
    return [item.text or "" for item in root if item.tag in ("Latest", "Committed", "Uncommitted")]


_RANGE = re.compile(r"bytes=(\d+)-(\d*)$")


def get_blob(request, box, blob) -> Response:
    """Get Blob: the whole blob (200) or the range of `x-ms-range`/`Range` (206; 416 past the end)."""
    props = blobs.properties(box, blob)
    asked = request.headers.get("x-ms-range") or request.headers.get("Range")
    headers = {**_base_headers(request), **_blob_headers(props)}
    if not asked:
        return Response(blobs.read(box, blob), status=200, headers=headers)
    match = _RANGE.match(asked.strip())
    if match is None:
        raise RestError(400, "InvalidHeaderValue", f"The value for one of the HTTP headers is not in the correct "
                                                   f"format: {asked}")
    start = int(match.group(1))
    end = min(int(match.group(2)) if match.group(2) else props.size - 1, props.size - 1)
    if start >= props.size:
        raise RestError(416, "InvalidRange", "The range specified is invalid for the current size of the resource.")
    headers["Content-Range"] = f"bytes {start}-{end}/{props.size}"
    return Response(blobs.read(box, blob, start, end), status=206, headers=headers)


ROUTES = [
    Rule("/<container>", host=BLOB_HOST, endpoint=container_operation, methods=["GET", "PUT", "DELETE", "HEAD"]),
    Rule("/<container>/<path:blob>", host=BLOB_HOST, endpoint=blob_operation,
         methods=["GET", "PUT", "DELETE", "HEAD"]),
]
