"""Data references and output folders of a submitted script (SDK v1), put in place by the service.

A caller in another process (a sandboxed kernel) cannot reach a datastore's files or the job's folder, so it
describes what the script should get, and the service makes it exist when it takes the submission, as Azure ML's
compute does:

- `{"placement": "data_reference", "name", "datastore", "path", "mode", "path_on_compute"}`: a `DataReference`.
  `download` copies the datastore files below the job's folder, `mount` links them there, `upload` hands over the
  datastore folder itself (what the script writes lands in the datastore);
- `{"placement": "output", "name", "datastore", "path", "mode"}`: an `OutputFileDatasetConfig`: its folder on the
  datastore (the workspace's default datastore when `datastore` is None), made if missing; the script writes there;
- `{"placement": "output_read", ...the same}`: an earlier output given to this run (`as_input()`), read there.

Each gives what the job's process reads, as an input placed in process does: `{"name", "argument", "input"}` with
`input["mode"]` "reference" or "output" (not dataset inputs in Azure ML: they stay out of `run.input_datasets`).
The service checks what it is asked: a name that is one folder name, a known mode, datastore paths without '..',
a `path_on_compute` inside the job's folder, no link in the snapshot or the datastore that leads elsewhere.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from sim import messages
from sim.cloud import datastores
from sim.cloud.errors import DATASTORE, JOB, UserError

DATA_REFERENCE, OUTPUT, OUTPUT_READ = "data_reference", "output", "output_read"
PLACEMENTS = (DATA_REFERENCE, OUTPUT, OUTPUT_READ)
REFERENCE_MODES = ("mount", "download", "upload")
OUTPUT_MODES = ("mount", "upload")
READ_MODES = ("mount", "download")
REFERENCES_FOLDER = "azureml_datarefs"  # where a reference appears in the job's folder unless path_on_compute says


def place(record, work_dir: Path, request: dict) -> dict:
    """One data reference or output of a job whose folder is `work_dir` (see the module docstring).

    Raises:
        UserError: a request the service will not carry out (the message says what to change).
    """
    check_name(request.get("name"))
    placement = request.get("placement")
    if placement == DATA_REFERENCE:
        return _place_reference(record, Path(work_dir), request)
    if placement in (OUTPUT, OUTPUT_READ):
        return _place_output(record, request)
    raise UserError(JOB, messages.RUN_INPUT_UNKNOWN.format(placement=placement))


def _place_reference(record, work_dir: Path, request: dict) -> dict:
    name, mode = request["name"], _mode(request, "DataReference", REFERENCE_MODES)
    store = str(request.get("datastore") or "")
    root = datastores.content_root(record, store)
    rel = datastores.clean_relative(request.get("path"))
    if mode == "upload":
        target = _in_datastore(root, root / rel, store)
        target.mkdir(parents=True, exist_ok=True)
        return reference_spec(name, target)
    base = job_path(work_dir, request.get("path_on_compute") or f"{REFERENCES_FOLDER}/{name}", name)
    names = datastores.list_files(record, store, (rel + "/") if rel else "")
    return reference_spec(name, put_reference_files(root, rel, names, base, mode == "mount", store))


def _place_output(record, request: dict) -> dict:
    name, placement = request["name"], request["placement"]
    mode = _mode(request, "OutputFileDatasetConfig", OUTPUT_MODES if placement == OUTPUT else READ_MODES)
    store = request.get("datastore") or datastores.default(record).name
    root = datastores.content_root(record, store)
    folder = _in_datastore(root, root / datastores.clean_relative(request.get("path")), store)
    folder.mkdir(parents=True, exist_ok=True)
    if placement == OUTPUT:
        return {"name": name, "argument": str(folder), "output": True,
                "input": {"mode": "output", "path": str(folder), "kind": "OutputFileDatasetConfig"}}
    return {"name": name, "argument": str(folder), "input": {"mode": mode, "path": str(folder), "kind": "FileDataset"}}


def reference_spec(name: str, target: Path) -> dict:
    """What the job's process reads for a data reference whose local path is `target`."""
    return {"name": name, "argument": os.fspath(target), "input": {"mode": "reference", "path": os.fspath(target)}}


def put_reference_files(root: Path, rel: str, names: list[str], base: Path, link: bool, datastore: str) -> Path:
    """Put a data reference's files below `base`, as links or copies; returns the path the script is given.

    Args:
        root: the datastore's folder.
        rel: the referenced path in it ("" for its root): one file, or a folder whose files are `names`.
        names: datastore-relative paths of the files under `rel` (when it is a folder).
        base: the local folder the reference appears in.
        link: link to the datastore files (mount) instead of copying them (download).
        datastore: the datastore's name, for messages.

    Raises:
        UserError: a datastore file is a link leading outside the datastore, or `base` holds a link leading out.
    """
    single = bool(rel) and (root / rel).is_file()
    for item in [rel] if single else names:
        source = _in_datastore(root, root / item, datastore)
        dest = base / _local_name(item, rel, single)
        if not dest.parent.resolve().is_relative_to(base.resolve()):  # a link below base: never written through
            raise UserError(JOB, messages.RUN_INPUT_LEAVES_JOB.format(path=dest, name=base.name))
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists() or dest.is_symlink():
            dest.unlink()
        if link:
            os.symlink(source, dest)
        else:
            shutil.copyfile(source, dest)
    base.mkdir(parents=True, exist_ok=True)
    return base / PurePosixPath(rel).name if single else base


def job_path(work_dir: Path, given, name: str) -> Path:
    """`given` (relative to the job's folder, or absolute) once it is known to stay inside that folder.

    Raises:
        UserError: it leads elsewhere (by '..', an absolute path, or a link in the snapshot).
    """
    path = Path(given)
    candidate = path if path.is_absolute() else Path(work_dir) / path
    if not candidate.resolve().is_relative_to(Path(work_dir).resolve()):
        raise UserError(JOB, messages.RUN_INPUT_LEAVES_JOB.format(path=given, name=name))
    return candidate


def check_name(name) -> str:
    """A run input's name once it is known to be one folder name (it names folders in the job's folder).

    Raises:
        UserError: it is empty, holds a separator, or is '.' or '..'.
    """
    if not isinstance(name, str) or name in ("", ".", "..") or any(ch in name for ch in "/\\\0"):
        raise UserError(JOB, messages.RUN_INPUT_BAD_NAME.format(name=name))
    return name


def _mode(request: dict, kind: str, modes: tuple[str, ...]) -> str:
    mode = request.get("mode")
    if mode not in modes:
        raise UserError(JOB, messages.RUN_INPUT_BAD_MODE.format(kind=kind, mode=mode, modes=", ".join(modes)))
    return mode


def _in_datastore(root: Path, path: Path, datastore: str) -> Path:
    """`path` once it is known to stay in the datastore's folder (no link in it leads out)."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise UserError(DATASTORE, messages.RUN_INPUT_LINK_LEAVES.format(
            path=path.relative_to(root).as_posix(), datastore=datastore))
    return path


def _local_name(item: str, rel: str, single: bool) -> PurePosixPath:
    """Where a datastore file goes below the reference's local folder: its path under the referenced folder."""
    if single:
        return PurePosixPath(PurePosixPath(item).name)
    return PurePosixPath(item) if not rel else PurePosixPath(item).relative_to(rel)
