"""SDK v1 pipeline steps (PythonScriptStep, ParallelRunStep) as nodes of the pipeline engine.

A v1 step is a script run on a snapshot of its source folder, as `ScriptRunConfig` runs are, but child of the
pipeline run. The service gets each step as data (see `graphs`): the script, its arguments (text, or a binding:
data the step reads or writes, see `_bindings`), its environment and compute, and which outputs it produces and
consumes (PipelineData / OutputFileDatasetConfig, by id). The service orders the steps by those outputs, keeps a
snapshot of each source folder (content-addressed) and decides reuse from what a step's result depends on; when a
step starts, it puts the step's data in place in its job folder.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from pathlib import Path

from sim.cloud.pipelines import _automl_step, _bindings, _parameters
from sim.cloud.runs import jobs, state

SCRIPT = "script"


def compile_steps(record, steps: list[dict]) -> dict[str, dict]:
    """{node: plan node} for v1 steps, in the order given; a repeated step name gets a suffix.

    Each step: `name`, `source_directory`, `script`, `arguments` (text, or {"bind": i}), `bindings`, `environment`,
    `target`, `allow_reuse`, `produces` and `consumes` (output ids), `extra_files`; an AutoMLStep's (see
    `_automl_step`). Steps come from `graphs.checked`, or from the service itself (a batch endpoint's).
    """
    producers = {out: step["name"] for step in steps for out in step.get("produces", [])}
    nodes, names = {}, {}
    for step in steps:
        node = _unique(step["name"], nodes)
        names[step["name"]] = node
        if step.get("kind") == _automl_step.AUTOML:
            nodes[node] = _automl_step.node(step, _new_id())
            continue
        snapshot, snapshot_id = _snapshot(record, Path(step["source_directory"]), step.get("extra_files") or {})
        bindings = step.get("bindings") or []
        nodes[node] = {"kind": SCRIPT, "run_id": _new_id(), "display_name": step["name"], "script": step["script"],
                       "snapshot": str(snapshot), "snapshot_id": snapshot_id,
                       "arguments": [_shown(a, bindings) for a in step.get("arguments", [])],
                       "argv": list(step.get("arguments", [])), "bindings": bindings,
                       "input_specs": step.get("inputs", []),  # runs planned before bindings: inputs made earlier
                       "environment": step.get("environment") or {}, "compute": step.get("target") or "local",
                       "allow_reuse": bool(step.get("allow_reuse", True)), "inputs": {}, "outputs": {},
                       "consumes": sorted(step.get("consumes", [])),
                       "named_outputs": dict(step.get("named_outputs") or {})}
    for node, step in zip(list(nodes), steps, strict=True):
        upstream = {names[producers[out]] for out in step.get("consumes", []) if out in producers}
        nodes[node]["after"] = sorted(upstream - {node})
    return nodes


def reuse_key(record, plan: dict, spec: dict, effective_run) -> str | None:
    """What decides a v1 step's reuse: code snapshot, script, arguments, inputs, environment, compute, and which
    runs produced the data it reads (a rerun upstream step gives it new data)."""
    if plan["settings"]["force_rerun"] or not spec["allow_reuse"]:
        return None
    parameters = plan["settings"].get("parameters") or {}
    arguments = _parameters.substitute(record, spec["arguments"], parameters)
    seen = [spec[k] for k in ("snapshot_id", "script", "environment", "compute")] + [arguments]
    given = _parameters.substitute_inputs(spec.get("input_specs") or [], parameters)
    inputs = [{k: v for k, v in s.items() if k not in ("path",)} for s in given]
    inputs += [_bindings.reuse_part(b, parameters) for b in spec.get("bindings") or []]
    upstream = {node: effective_run(plan["nodes"][node]["run_id"]) for node in spec["after"]}
    text = json.dumps([seen, inputs, upstream], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def submit(record, pipeline: dict, spec: dict, parameters: dict) -> None:
    """Start the step's script run, child of the pipeline run (its parameter placeholders given the run's
    values)."""
    jobs.submit(record, pipeline["experiment"],
                {"source_directory": spec["snapshot"], "script": spec["script"], "target": spec["compute"],
                 "environment": spec["environment"]},
                lambda work_dir: _command_line(record, spec, parameters, work_dir), run_id=spec["run_id"],
                parent_run_id=pipeline["run_id"], display_name=spec["display_name"])
    if spec["named_outputs"]:  # so the job's outputs can be listed and downloaded like a command job's
        _record_outputs(record, spec)


def _command_line(record, spec: dict, parameters: dict, work_dir) -> tuple[list[str], list[dict]]:
    """(argv, input specs) of a step starting in `work_dir`: its data put in place, its parameters given the
    run's values."""
    placed = [_bindings.place(record, work_dir, b, parameters) for b in spec.get("bindings") or []]
    text = [a for a in spec.get("argv", spec["arguments"]) if not isinstance(a, dict)]
    values = iter(_parameters.substitute(record, text, parameters))
    argv = [placed[a["bind"]]["argument"] if isinstance(a, dict) else next(values)
            for a in spec.get("argv", spec["arguments"])]
    inputs = _parameters.substitute_inputs(spec.get("input_specs") or [], parameters)
    references = _parameters.datapath_references(record, text, parameters)
    return [str(a) for a in argv], inputs + [p for p in placed if "input" in p] + references


def _shown(argument, bindings: list) -> str:
    """An argument as the step's plan shows it: its text, or the SDK's placeholder for the data it binds."""
    return _bindings.display(bindings[argument["bind"]]) if isinstance(argument, dict) else str(argument)


def _record_outputs(record, spec: dict) -> None:
    from sqlalchemy import update

    outputs = {name: {"jobOutputType": "uri_folder",
                      "uri": f"azureml://datastores/{where['datastore']}/paths/{where['path']}/"}
               for name, where in spec["named_outputs"].items()}
    row = state.get(record, spec["run_id"])
    with state.engine(record).begin() as conn:
        conn.execute(update(state.run_records).where(state.run_records.c.run_id == spec["run_id"])
                     .values(definition=dict(row["definition"] or {}, outputs=outputs)))


def _snapshot(record, source: Path, extra_files: dict) -> tuple[Path, str]:
    """A content-addressed copy of a step's source folder, plus any files the service adds to it (a parallel
    step's driver): (its folder, its snapshot id)."""
    if source.parent == _snapshots(record):  # a published step's pinned code: a snapshot is named by its id
        return source, source.name
    digest = hashlib.sha256()
    home = jobs.home_inside(source)
    for path in sorted(p for p in source.rglob("*") if p.is_file() and not _ignored(p, source, home)):
        digest.update(str(path.relative_to(source)).encode())
        digest.update(path.read_bytes())
    for name, text in sorted(extra_files.items()):
        digest.update(name.encode() + text.encode())
    snapshot_id = digest.hexdigest()[:32]
    folder = _snapshots(record) / snapshot_id
    if not folder.exists():
        staging = folder.with_name(f"{snapshot_id}.{uuid.uuid4().hex[:8]}")
        jobs.snapshot(source, staging)
        for name, text in extra_files.items():
            (staging / name).write_text(text)
        try:
            staging.rename(folder)  # whole or not at all, even with two submitters at once
        except OSError:  # another submitter put the same snapshot in place first
            shutil.rmtree(staging, ignore_errors=True)
    return folder, snapshot_id


def pinned(record, step: dict, snapshot: str | None = None) -> dict:
    """The step with its code pinned to a snapshot (`snapshot`, else one taken now).

    A published pipeline runs the code it was published with, as in Azure: editing the local folders afterwards
    changes none of its runs. An AutoML step has no code; a step already pinned is kept.
    """
    if step.get("kind") == _automl_step.AUTOML or Path(step["source_directory"]).parent == _snapshots(record):
        return step
    if snapshot is None:
        snapshot, _ = _snapshot(record, Path(step["source_directory"]), step.get("extra_files") or {})
    return {**step, "source_directory": str(snapshot), "extra_files": {}}


def _snapshots(record) -> Path:
    return record.folder / "snapshots"


def _ignored(path: Path, source: Path, home: Path | None) -> bool:
    parts = path.relative_to(source).parts
    return (any(part in ("__pycache__", ".ipynb_checkpoints", ".git") for part in parts)
            or (home is not None and home in path.resolve().parents))


def _unique(name: str, taken: dict) -> str:
    node, n = name, 1
    while node in taken:
        n += 1
        node = f"{name}_{n}"
    return node


def _new_id() -> str:
    return str(uuid.uuid4())
