"""SDK v1 pipeline graphs as a client sends them: a Pipeline's steps described as data, checked by the service
before it runs or publishes them.

In Azure, `experiment.submit(pipeline)` sends the graph to the service, which runs the steps; the client never
touches the steps' folders or data. So does the simulated one: the v1 face describes each step (see `checked`),
with the data it reads and writes as bindings (`_bindings`), and these are the operations a client may call:
`submit` (a new pipeline run), `publish` (a published pipeline of those steps) and `publish_run` (the steps a run
ran, published, as `PipelineRun.publish_pipeline` does). The service works out the rest itself: which outputs a
step produces and consumes (hence the order), where they are, and a parallel step's driver script; a caller
cannot hand it files to add to a snapshot, nor properties for the run.

A step, as sent:
- `{"kind": "script" | "parallel", "name", "source_directory" (absolute), "script", "arguments": [text, or
  {"bind": i}], "bindings": [...], "environment": {...}, "target", "allow_reuse", "parameters": {name:
  declaration}}` (a parallel step's script is the service's parallel driver);
- `{"kind": "automl", "name", "settings", "target", "allow_reuse", "training", "validation", "outputs": [output
  bindings with a training_output], "consumes": [ids of the outputs its data comes from], "parameters": {}}`.
"""

from __future__ import annotations

import os

from sim import messages
from sim.cloud import datastores
from sim.cloud.errors import JOB, UserError
from sim.cloud.pipelines import _bindings

SCRIPT, PARALLEL, AUTOML = "script", "parallel", "automl"
PARALLEL_DRIVER = "azureml_parallel_run_driver.py"  # Azure ML runs a parallel step's entry script through its own
PARALLEL_DRIVER_CODE = "from sim._parallel_run import main\n\nmain()\n"
_TEXT = (str, int, float, bool)


def submit(record, experiment: str, steps: list, *, regenerate_outputs: bool = False,
           continue_on_step_failure: bool = False, tags: dict | None = None,
           pipeline_parameters: dict | None = None) -> dict:
    """Start a pipeline run of `steps` in `experiment` (what `Experiment.submit(pipeline)` sends); returns the
    pipeline run's record.

    Raises:
        UserError / NotFound: a step the service cannot run (see `checked`), a parameter no step declares.
    """
    from sim.cloud import pipelines

    return pipelines.submit_steps(record, experiment, checked(record, steps), force_rerun=bool(regenerate_outputs),
                                  continue_on_step_failure=bool(continue_on_step_failure), tags=_tags(tags),
                                  parameters=pipeline_parameters)


def publish(record, name: str, steps: list, *, description=None, version=None,
            continue_on_step_failure=False) -> dict:
    """A published pipeline of `steps` (what `Pipeline.publish` sends); returns its record."""
    from sim.cloud.pipelines import published

    return published.publish(record, name, checked(record, steps), description=description, version=version,
                              continue_on_step_failure=bool(continue_on_step_failure))


def publish_run(record, run_id: str, name: str, *, description=None, version=None,
                continue_on_step_failure=False) -> dict:
    """A published pipeline of the steps the pipeline run `run_id` ran (`PipelineRun.publish_pipeline`).

    Raises:
        NotFound: no pipeline run has that id.
    """
    from sim.cloud import pipelines
    from sim.cloud.pipelines import _steps

    definition = pipelines.get(record, run_id)["definition"]
    nodes = definition["plan"]["nodes"].values()  # one per step, in order: the code that run ran
    steps = [_steps.pinned(record, step, node.get("snapshot"))
             for step, node in zip(definition.get("steps") or [], nodes, strict=True)]
    return publish(record, name, steps, description=description, version=version,
                   continue_on_step_failure=continue_on_step_failure)


def checked(record, steps) -> list[dict]:
    """The steps as the engine runs them (see `_steps.compile_steps`), each checked; idempotent.

    Raises:
        UserError: no steps, or a step that is not a well-formed description (the sentence names it).
    """
    if not isinstance(steps, list) or not steps:
        raise UserError(JOB, messages.PIPELINE_V1_NO_STEPS)
    return [_checked_step(record, index, step) for index, step in enumerate(steps)]


def _checked_step(record, index: int, step) -> dict:
    if not isinstance(step, dict):
        raise _invalid(index, f"a step is described by a dict, not {type(step).__name__}")
    kind = step.get("kind", SCRIPT)
    _require(index, isinstance(step.get("name"), str) and step["name"].strip(), "it has no name")
    _require(index, isinstance(step.get("allow_reuse", True), bool), "allow_reuse is not a boolean")
    _require(index, isinstance(step.get("target", "local"), str), "its compute target is not a name")
    if kind == AUTOML:
        return _automl_step(record, index, step)
    _require(index, kind in (SCRIPT, PARALLEL), f"its kind {kind!r} is not script, parallel or automl")
    return _script_step(record, index, step, kind)


def _script_step(record, index: int, step: dict, kind: str) -> dict:
    source = step.get("source_directory")
    _require(index, isinstance(source, str) and os.path.isabs(source), "its source_directory is not an absolute path")
    _require(index, isinstance(step.get("script"), str) and step["script"], "it names no script")
    _require(index, isinstance(step.get("environment", {}), dict), "its environment is not a description")
    bindings = [_checked_binding(record, b) for b in _list(index, step, "bindings")]
    arguments = [_checked_argument(index, a, len(bindings)) for a in _list(index, step, "arguments")]
    done = {"kind": kind, "name": step["name"], "source_directory": source, "script": step["script"],
            "arguments": arguments, "bindings": bindings, "environment": step.get("environment") or {},
            "target": step.get("target") or "local", "allow_reuse": step.get("allow_reuse", True),
            "parameters": _parameters(index, step)}
    if kind == PARALLEL:  # the service's own driver runs the entry script, never a file the caller hands over
        done.update(script=PARALLEL_DRIVER, extra_files={PARALLEL_DRIVER: PARALLEL_DRIVER_CODE})
    return dict(done, **_data_flow(bindings))


def _automl_step(record, index: int, step: dict) -> dict:
    outputs = [_checked_binding(record, b) for b in _list(index, step, "outputs")]
    _require(index, all(_bindings.kind_of(b)[0] == _bindings.OUTPUT and _bindings.kind_of(b)[1].get(
        "training_output") in ("Metrics", "Model") for b in outputs), "an AutoMLStep output is not a training output")
    _require(index, isinstance(step.get("settings"), dict), "it has no AutoML settings")
    consumes = _list(index, step, "consumes")
    _require(index, all(isinstance(c, str) for c in consumes), "consumes is not a list of output ids")
    sources = [_checked_source(record, index, step.get("training"))]
    if step.get("validation") is not None:
        sources.append(_checked_source(record, index, step["validation"]))
    flow = _data_flow(outputs)
    training_outputs = [dict(flow["named_outputs"][_bindings.kind_of(b)[1]["name"]],
                             type=_bindings.kind_of(b)[1]["training_output"]) for b in outputs]
    return {"kind": AUTOML, "name": step["name"], "settings": step["settings"], "target": step.get("target"),
            "allow_reuse": step.get("allow_reuse", True), "training": sources[0],
            "validation": sources[1] if len(sources) > 1 else None, "outputs": outputs, "parameters": {},
            "produces": flow["produces"], "consumes": sorted(set(consumes)), "named_outputs": flow["named_outputs"],
            "training_outputs": training_outputs}


def _checked_source(record, index: int, source) -> dict:
    """An AutoMLStep's data: a tabular dataset definition, or an earlier output's folder read as delimited text."""
    _require(index, isinstance(source, dict) and source.get("kind") in ("definition", "folder"),
             "its training data is not a tabular dataset or an earlier step's output")
    if source["kind"] == "definition":
        _require(index, isinstance(source.get("definition"), dict), "its training dataset has no definition")
        return {"kind": "definition", "definition": source["definition"]}
    return {"kind": "folder", "datastore": _datastore(record, source.get("datastore")),
            "path": datastores.clean_relative(_text(source.get("path"))),
            "separator": str(source.get("separator") or ",")}


def _checked_binding(record, binding) -> dict:
    kind, value = _bindings.kind_of(binding)
    if kind == _bindings.DATASET:
        if value.get("mode") not in ("direct", "download", "mount") or not isinstance(value.get("definition"), dict):
            raise UserError(JOB, messages.PIPELINE_STEP_BAD_BINDING.format(binding=str(binding)[:200]))
        return {kind: value}
    if kind == _bindings.DATASET_PARAMETER:
        return {kind: {"name": _text(value.get("name")), "parameter": _text(value.get("parameter"))}}
    done = {"id": _text(value.get("id")), "name": _text(value.get("name")),
            "datastore": _datastore(record, value.get("datastore")),
            "path": datastores.clean_relative(_text(value.get("path"))),
            "kind": value.get("kind") if value.get("kind") == _bindings.PIPELINE_DATA else _bindings.OUTPUT_FILE}
    if kind == _bindings.STEP_DATA:
        done["mode"] = value.get("mode") if value.get("mode") in ("mount", "download") else "mount"
    for key in ("pipeline_output", "training_output"):
        if kind == _bindings.OUTPUT and value.get(key):
            done[key] = _text(value[key])
    return {kind: done}


def _data_flow(bindings: list) -> dict:
    """What a step produces and consumes (output ids), and where its outputs are (for StepRun.get_outputs)."""
    produces, consumes, named = [], [], {}
    for binding in bindings:
        kind, value = _bindings.kind_of(binding)
        if kind == _bindings.OUTPUT:
            produces.append(value["id"])
            named[value["name"]] = {"datastore": value["datastore"], "path": value["path"],
                                    **({"pipeline_output": value["pipeline_output"]}
                                       if value.get("pipeline_output") else {})}
        elif kind == _bindings.STEP_DATA:
            consumes.append(value["id"])
    return {"produces": produces, "consumes": consumes, "named_outputs": named}


def _parameters(index: int, step: dict) -> dict:
    given = step.get("parameters") or {}
    _require(index, isinstance(given, dict) and all(
        isinstance(d, dict) and d.get("kind") in ("literal", "datapath", "dataset") and "default" in d
        for d in given.values()), "its pipeline parameters are not declarations")
    return given


def _checked_argument(index: int, argument, bound: int):
    if isinstance(argument, dict):
        _require(index, set(argument) == {"bind"} and isinstance(argument["bind"], int)
                 and 0 <= argument["bind"] < bound, f"the argument {argument!r} names no binding")
        return argument
    _require(index, isinstance(argument, _TEXT), f"the argument {argument!r} is not text")
    return str(argument)


def _datastore(record, name) -> str:
    """A datastore by name (the workspace's default when None), checked to exist."""
    if name is None:
        return datastores.default(record).name
    return datastores.get(record, _text(name)).name


def _tags(tags) -> dict | None:
    if tags is not None and not (isinstance(tags, dict) and all(isinstance(v, _TEXT) for v in tags.values())):
        raise UserError(JOB, messages.PIPELINE_STEP_INVALID.format(index=0, problem="the tags are not text values"))
    return {k: str(v) for k, v in tags.items()} if tags else tags


def _list(index: int, step: dict, key: str) -> list:
    value = step.get(key) or []
    _require(index, isinstance(value, list), f"its {key} is not a list")
    return value


def _text(value) -> str:
    if not isinstance(value, str) or not value:
        raise UserError(JOB, messages.PIPELINE_STEP_BAD_BINDING.format(binding=repr(value)[:200]))
    return value


def _require(index: int, ok, problem: str) -> None:
    if not ok:
        raise _invalid(index, problem)


def _invalid(index: int, problem: str) -> UserError:
    return UserError(JOB, messages.PIPELINE_STEP_INVALID.format(index=index, problem=problem))
