"""Run files: the run's MLflow artifacts, which live in a folder inside the workspace folder.

Azure ML calls them "files" (`outputs/model.pkl`, `azureml-logs/70_driver_log.txt`); MLflow calls them
artifacts. Both views see the same folder, so `mlflow ui` lists what `run.upload_file` put there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from sim import messages
from sim.cloud import storage_ceiling
from sim.cloud.errors import RUN, Conflict, NotFound, UserError
from sim.cloud.runs import errors
from sim.cloud.runs.tracking import client

DRIVER_LOG = "azureml-logs/70_driver_log.txt"
LOG_PREFIXES = ("azureml-logs/", "logs/")


def artifact_root(record, run_id: str) -> Path:
    """The local folder holding a run's files (created on demand)."""
    from mlflow.utils.file_utils import local_file_uri_to_path
    from mlflow.utils.uri import is_local_uri

    uri = client(record).get_run(run_id).info.artifact_uri
    if not is_local_uri(uri):
        raise UserError(RUN, messages.RUN_FILES_NOT_LOCAL.format(run_id=run_id, uri=uri))
    root = Path(local_file_uri_to_path(uri))
    root.mkdir(parents=True, exist_ok=True)
    return root


def _safe_name(name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise UserError(RUN, messages.RUN_FILE_NAME_EMPTY.format(name=name))
    text = name.replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    path = PurePosixPath(text)
    if path.is_absolute() or ".." in path.parts:
        raise UserError(RUN, messages.RUN_FILE_NAME_OUTSIDE.format(name=name))
    return str(path)


def upload_file(record, run_id: str, name: str, path_or_stream) -> str:
    """Store one file in the run under `name` (a path, a binary/text stream, or the bytes themselves, as a caller in
    another process sends a stream); names are write-once."""
    name = _safe_name(name)
    target = artifact_root(record, run_id) / name
    if target.exists():
        raise Conflict(RUN, errors.FILE_ALREADY_EXISTS.format(run_id=run_id, name=name))
    if hasattr(path_or_stream, "read"):  # a stream: its bytes (a text stream's encoded)
        data = path_or_stream.read()
        path_or_stream = data.encode() if isinstance(data, str) else data
    elif not isinstance(path_or_stream, bytes):  # a path
        path_or_stream = _source_file(path_or_stream)
    size = len(path_or_stream) if isinstance(path_or_stream, bytes) else path_or_stream.stat().st_size
    with storage_ceiling.accepting(size, f"the run file '{name}'", RUN):
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(path_or_stream, bytes):
            target.write_bytes(path_or_stream)
        else:
            shutil.copyfile(path_or_stream, target)
    return name


def _source_file(path) -> Path:
    source = Path(os.fspath(path))
    if not source.is_file():
        raise UserError(RUN, errors.UPLOAD_SOURCE_NOT_FOUND.format(path=source, kind="file", cwd=Path.cwd()))
    return source


def read_from(record, run_id: str, name: str, offset: int = 0) -> bytes:
    """The bytes of a run file from `offset` on (b"" while it does not exist yet): a growing log, read in turns."""
    path = artifact_root(record, run_id) / _safe_name(name)
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, int(offset)))
            return handle.read()
    except FileNotFoundError:
        return b""


def upload_folder(record, run_id: str, name: str, path) -> list[str]:
    """Store every file below a local folder in the run, under the prefix `name`."""
    source = Path(os.fspath(path))
    if not source.is_dir():
        raise UserError(RUN, errors.UPLOAD_SOURCE_NOT_FOUND.format(path=source, kind="folder", cwd=Path.cwd()))
    prefix = _safe_name(name)
    found = sorted(p for p in source.rglob("*") if p.is_file())
    # the whole folder is refused before its first file when it would not fit
    storage_ceiling.ensure_room(sum(f.stat().st_size for f in found), f"the folder '{prefix}'", RUN)
    return [upload_file(record, run_id, f"{prefix}/{file.relative_to(source).as_posix()}", file) for file in found]


def copy_tree_into(record, run_id: str, folder: Path, prefix: str) -> None:
    """Copy a folder into the run's files, overwriting (how a job's outputs/ and logs/ are collected)."""
    if not folder.is_dir():
        return
    target = artifact_root(record, run_id) / prefix
    shutil.copytree(folder, target, dirs_exist_ok=True)


def names(record, run_id: str) -> list[str]:
    """Every file of the run, as sorted POSIX paths relative to the run."""
    root = artifact_root(record, run_id)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def download_file(record, run_id: str, name: str, output_file_path=None) -> str:
    """Copy one run file to a local path (a folder keeps the file's own name); returns the path."""
    name = _safe_name(name)
    source = artifact_root(record, run_id) / name
    if not source.is_file():
        raise NotFound(RUN, errors.FILE_NOT_IN_RUN.format(name=name, run_id=run_id))
    target = Path(os.fspath(output_file_path)) if output_file_path else Path(PurePosixPath(name).name)
    if target.is_dir():
        target = target / PurePosixPath(name).name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return str(target)


def download_files(record, run_id: str, prefix=None, output_directory=None, output_paths=None,
                   append_prefix=True) -> list[str]:
    """Copy the run files under `prefix` into a folder, keeping their paths; returns the local paths."""
    wanted = [n for n in names(record, run_id) if not prefix or n.startswith(prefix.rstrip("/") + "/")
              or n == prefix]
    out_dir = Path(os.fspath(output_directory)) if output_directory else Path.cwd()
    copied = []
    for index, name in enumerate(wanted):
        relative = name if append_prefix or not prefix else name[len(prefix.rstrip("/")) + 1:] or name
        target = Path(output_paths[index]) if output_paths else out_dir / relative
        copied.append(download_file(record, run_id, name, target))
    return copied


def log_names(record, run_id: str) -> list[str]:
    """The run's log files (driver log and anything the script wrote to logs/)."""
    return [n for n in names(record, run_id) if n.startswith(LOG_PREFIXES)]


def read_text(record, run_id: str, name: str) -> str:
    """A run file's text ('' when absent), for logs shown in details and widgets."""
    path = artifact_root(record, run_id) / name
    return path.read_text(errors="replace") if path.is_file() else ""


def driver_log_path(record, run_id: str) -> Path:
    """Where a submitted run's driver log (its stdout and stderr) is written."""
    path = artifact_root(record, run_id) / DRIVER_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
