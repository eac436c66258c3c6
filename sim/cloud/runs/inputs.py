"""Dataset inputs of a submitted script, put in place in the job's folder by the service.

A caller in another process (a sandboxed kernel) cannot prepare a job's folder: the service makes it when it
takes the submission. So the caller describes each dataset input (`request`: its name, mode, the saved dataset's
id and definition, where it should appear), and the service places its files in the job's folder as Azure ML's
compute does - a download copies them, a mount links them - and gives back the input spec the job's process reads
(`sim.azureml.data.dataset_consumption_config._input_from_spec`) and the command-line argument that stands for it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

DIRECT, DOWNLOAD, MOUNT = "direct", "download", "mount"


def place(record, work_dir: Path, request: dict) -> dict:
    """One input of a job whose folder is `work_dir`: {"name", "argument", "input"} (see the module docstring).

    Args:
        record: the workspace record.
        work_dir: the job's working folder.
        request: {"name", "mode", "id", "kind", "definition", "workspace", "registration", "path_on_compute"}
            for a saved dataset; a request with "placement" is a DataReference or an output folder
            (`sim.cloud.runs.datarefs`).

    Raises:
        UserError: a request the service will not carry out (a name that is not one folder name, a place outside
            the job's folder).
    """
    from sim.cloud import data_engine
    from sim.cloud.runs import datarefs

    datarefs.check_name(request.get("name"))
    if "placement" in request:  # a DataReference or an OutputFileDatasetConfig, not a saved dataset
        return datarefs.place(record, work_dir, request)
    spec = {key: request.get(key) for key in ("mode", "id", "kind", "definition", "workspace", "registration")}
    if request["mode"] == DIRECT:
        return {"name": request["name"], "argument": request["id"], "input": spec}
    folder = target_folder(Path(work_dir), request["name"], request.get("path_on_compute"))
    datarefs.job_path(work_dir, folder, request["name"])  # the service never writes outside the job's folder
    folder.mkdir(parents=True, exist_ok=True)
    files = data_engine.files_of(record, request["definition"])
    placed = place_files(files, folder, link=request["mode"] == MOUNT)
    # The job gets the file itself when the dataset is one file with no transforms.
    spec["path"] = placed[0] if single_file_no_transform(request["definition"], files) else os.fspath(folder)
    return {"name": request["name"], "argument": spec["path"], "input": spec}


def target_folder(work_dir: Path, name: str, path_on_compute=None) -> Path:
    """Where a download or mount appears: `path_on_compute` (below the job's folder when relative), else a new
    folder under `azureml_inputs`."""
    if path_on_compute:
        given = Path(path_on_compute)
        return given if given.is_absolute() else work_dir / given
    return work_dir / "azureml_inputs" / f"{name}_{uuid.uuid4().hex[:8]}"


def place_files(files, folder: Path, link: bool, content=None) -> list[str]:
    """Put resolved files (`ResolvedFile`) under `folder` at their relative paths, as links or copies.

    Args:
        content: called with each file, gives its bytes; for a process that cannot see the datastore's files
            (a sandboxed kernel gets them from the service), which then writes copies, never links.
    """
    placed = []
    for found in files:
        dest = folder / found.relative.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists() or dest.is_symlink():
            dest.unlink()
        if content is not None:
            dest.write_bytes(content(found))
        elif link:
            try:
                os.symlink(found.local_path, dest)
            except OSError:  # no symlinks on this file system: a copy does
                shutil.copyfile(found.local_path, dest)
        else:
            shutil.copyfile(found.local_path, dest)
        placed.append(str(dest))
    return placed


def single_file_no_transform(definition: dict, files: list) -> bool:
    """True for a file dataset made from exactly one file path (not a folder or a pattern) and no steps."""
    sources = definition.get("sources") or []
    if definition.get("type") != "file" or definition.get("steps") or len(sources) != 1 or len(files) != 1:
        return False
    source = str(sources[0].get("path", ""))
    if not source or source.endswith("/") or any(ch in source for ch in "*?["):
        return False
    return source.rstrip("/").rsplit("/", 1)[-1] == files[0].relative.lstrip("/").rsplit("/", 1)[-1]
