"""MLTable files: the YAML that says which files a table reads and how, and reading them as a DataFrame.

An `MLTable` file (in a folder, beside or above its data) has `paths` (each a `file`, a `folder` or a glob
`pattern`, relative to the folder or absolute URIs) and `transformations` applied in order: one reader
(`read_delimited`, `read_parquet`, `read_json_lines`) then `take`, `skip`, `keep_columns`/`select_columns`,
`drop_columns`. Reading is the data engine's (`sim.cloud.data_engine`), the same that reads SDK v1 datasets.

A table is read from files on disk: a local folder, or the folder of a datastore path or data asset (see
`sim.cloud.data_uris`). Not simulated: `take_random_sample`, `filter`, `convert_column_types`, partition
formats, http(s) paths and Delta Lake (`read_delta_lake`); they raise a clear error.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import yaml

from sim import messages
from sim.cloud.errors import DATASET, VALIDATION_ERROR, UserError

FILE_NAME = "MLTable"
READERS = ("read_delimited", "read_parquet", "read_json_lines")
# mltable's header option -> the data engine's header behaviour (the v1 PromoteHeadersBehavior names).
HEADERS = {"all_files_same_headers": "ALL_FILES_HAVE_SAME_HEADERS", "from_first_file": "ONLY_FIRST_FILE_HAS_HEADERS",
           "no_header": "NO_HEADERS", "all_files_different_headers": "COMBINE_ALL_FILES_HEADERS"}
ENCODINGS = ("utf8", "iso88591", "latin1", "ascii", "utf16", "utf32", "utf8bom", "windows1252")
_PATH_KINDS = ("file", "folder", "pattern")
_URI = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _invalid(detail: str) -> UserError:
    return UserError(DATASET, messages.MLTABLE_INVALID.format(detail=detail), code=VALIDATION_ERROR)


def parse(text: str) -> dict:
    """The MLTable YAML as a dict, checked: a `paths` list of file/folder/pattern, a `transformations` list.

    Raises:
        UserError: not YAML, or not the MLTable shape.
    """
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _invalid(f"it is not valid YAML ({exc})") from exc
    if not isinstance(spec, dict):
        raise _invalid("it must be a mapping with 'paths' and 'transformations'")
    paths = spec.get("paths") or []
    if not isinstance(paths, list) or not all(_path_kind(p) for p in paths):
        raise _invalid("'paths' must be a list of entries with one of file:, folder:, pattern:")
    if not isinstance(spec.get("transformations") or [], list):
        raise _invalid("'transformations' must be a list")
    return spec


def _path_kind(entry) -> str | None:
    if not isinstance(entry, dict):
        return None
    kinds = [k for k in _PATH_KINDS if k in entry]
    return kinds[0] if len(kinds) == 1 and isinstance(entry[kinds[0]], str) else None


def read_spec(folder: Path) -> dict:
    """The parsed `MLTable` file of a folder.

    Raises:
        UserError: the folder has no MLTable file, or it is invalid.
    """
    path = Path(folder) / FILE_NAME
    if not path.is_file():
        raise UserError(DATASET, messages.MLTABLE_NOT_FOUND.format(folder=folder), code=VALIDATION_ERROR)
    return parse(path.read_text(encoding="utf-8"))


def dump(spec: dict) -> str:
    """The MLTable YAML text of a spec (what `MLTable.save` writes)."""
    return yaml.safe_dump(spec, sort_keys=False)


# ------------------------------------------------------------------------------------ transformations

def _step_name(step) -> tuple[str, object]:
    if isinstance(step, str):
        return step, {}
    if isinstance(step, dict) and len(step) == 1:
        return next(iter(step.items()))
    raise _invalid(f"a transformation must be a name or a one-key mapping, not {step!r}")


def reader_and_steps(spec: dict) -> tuple[dict, list[dict]]:
    """The data engine's reader settings and steps for a spec's transformations.

    Raises:
        UserError: no reader, a second reader, bad options, or a transformation the simulator does not read.
    """
    reader, steps = None, []
    for step in spec.get("transformations") or []:
        name, options = _step_name(step)
        if name in READERS:
            if reader is not None:
                raise _invalid("only one read_* transformation may come first")
            reader = _reader(name, options or {})
        elif reader is None:
            raise _invalid(f"'{name}' needs a read_delimited, read_parquet or read_json_lines before it")
        else:
            steps.append(_step(name, options))
    if reader is None:
        raise _invalid("it has no read_delimited, read_parquet or read_json_lines transformation, so it is not "
                       "a table")
    return reader, steps


def _encoding(options: dict) -> str:
    encoding = str(options.get("encoding", "utf8")).lower().replace("-", "")
    if encoding not in ENCODINGS:
        raise _invalid(f"encoding '{options.get('encoding')}' is not one of {', '.join(ENCODINGS)}")
    return encoding


def _reader(name: str, options: dict) -> dict:
    if not isinstance(options, dict):
        raise _invalid(f"the options of {name} must be a mapping")
    include_path = bool(options.get("include_path_column", False))
    if name == "read_parquet":
        return {"format": "parquet", "include_path": include_path}
    if name == "read_json_lines":
        invalid = options.get("invalid_lines", "error")
        if invalid not in ("error", "drop"):
            raise _invalid(f"invalid_lines must be 'error' or 'drop', not '{invalid}'")
        return {"format": "json_lines", "include_path": include_path, "invalid_lines": invalid,
                "encoding": _encoding(options)}
    header = options.get("header", "all_files_same_headers")
    if header not in HEADERS:
        raise _invalid(f"header '{header}' is not one of {', '.join(HEADERS)}")
    return {"format": "delimited", "separator": str(options.get("delimiter", ",")), "header": HEADERS[header],
            "encoding": _encoding(options), "include_path": include_path,
            "infer_column_types": bool(options.get("infer_column_types", True)),
            "empty_as_string": bool(options.get("empty_as_string", False)),
            "support_multi_line": bool(options.get("support_multi_line", False))}


def _step(name: str, options) -> dict:
    if name in ("take", "skip"):
        if not isinstance(options, int) or isinstance(options, bool) or options < 0:
            raise _invalid(f"{name} needs a count (a whole number of rows), not {options!r}")
        return {"op": name, "count": options}
    if name in ("keep_columns", "select_columns", "drop_columns"):
        columns = [options] if isinstance(options, str) else options
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise _invalid(f"{name} needs a column name or a list of them")
        return {"op": "drop_columns" if name == "drop_columns" else "keep_columns", "columns": columns}
    raise UserError(DATASET, messages.MLTABLE_NOT_SIMULATED.format(what=f"the '{name}' transformation"))


# ------------------------------------------------------------------------------------------- files

def local_files(folder: Path, spec: dict) -> list:
    """The files a spec's paths match, relative to the MLTable's folder, as the data engine's `ResolvedFile`s.

    Raises:
        UserError: an absolute URI among the paths (not read from here), or no file at all.
    """
    from sim.cloud.datasets import ResolvedFile

    folder = Path(folder)
    found = []
    for entry in spec.get("paths") or []:
        kind = _path_kind(entry)
        target = entry[kind]
        if _URI.match(target):
            raise UserError(DATASET, messages.MLTABLE_NOT_SIMULATED.format(what=f"the path URI '{target}'"))
        found.extend(_matches(folder, kind, target))
    if not found:
        raise UserError(DATASET, messages.MLTABLE_NO_FILES.format(folder=folder), code=VALIDATION_ERROR)
    base = posixpath.commonpath([p.parent.as_posix() for p in found])
    return [ResolvedFile(p, "", p.relative_to(folder).as_posix() if p.is_relative_to(folder) else p.as_posix(),
                         "/" + posixpath.relpath(p.as_posix(), base)) for p in found]


def _matches(folder: Path, kind: str, target: str) -> list[Path]:
    path = Path(target) if Path(target).is_absolute() else folder / target
    if kind == "file":
        return [path] if path.is_file() else []
    if kind == "folder":
        return sorted(p for p in path.rglob("*") if p.is_file() and p.name != FILE_NAME)
    root = Path(path.anchor) if path.is_absolute() else folder
    pattern = path.relative_to(root).as_posix() if path.is_absolute() else target.removeprefix("./")
    return sorted(p for p in root.glob(pattern) if p.is_file())


def read(folder: Path, spec: dict):
    """The table as a pandas DataFrame: the matched files read and transformed by the data engine."""
    from sim.cloud import data_engine

    reader, steps = reader_and_steps(spec)
    return data_engine.frame_from_files(local_files(folder, spec), reader, steps)


# -------------------------------------------------------------------------- read in the service

def spec_at(record, uri: str) -> dict:
    """The parsed MLTable file that a data URI (a data asset or a datastore folder) points at in `record`'s
    storage: how a process that cannot see the storage (a sandboxed kernel) learns a table's paths.

    Raises:
        UserError: no MLTable file there, or an invalid one; NotFound: a URI that names nothing.
    """
    return read_spec(_folder_at(record, uri))


def frame_pickle_at(record, uri: str, transformations: list | None = None) -> bytes:
    """The table a data URI points at, with the caller's own transformations after the file's, read here and
    pickled (only ever sent to callers, never read from them). Only files inside the MLTable's folder are read:
    the file is the learner's, and the service can see far more than the learner may.

    Raises:
        UserError: as `spec_at`, a path outside the folder, or a bad transformation.
    """
    import pickle

    folder = _folder_at(record, uri)
    spec = read_spec(folder)
    spec["transformations"] = [*(spec.get("transformations") or []), *(transformations or [])]
    inside = folder.resolve()
    for found in local_files(folder, spec):
        if not Path(found.local_path).resolve().is_relative_to(inside):
            raise UserError(DATASET, messages.MLTABLE_OUTSIDE_FOLDER.format(uri=uri, path=found.path_on_datastore),
                            code=VALIDATION_ERROR)
    return pickle.dumps(read(folder, spec), protocol=pickle.HIGHEST_PROTOCOL)


def _folder_at(record, uri: str) -> Path:
    from sim.cloud import data_uris

    folder = data_uris.local_path(record, uri)
    return folder.parent if folder.name == FILE_NAME and folder.is_file() else folder
