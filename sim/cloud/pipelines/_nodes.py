"""A pipeline's nodes as child jobs: their status, starting one (or reusing an earlier run), where outputs go."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from sim.cloud import command_jobs
from sim.cloud.errors import CloudError, Conflict
from sim.cloud.pipelines import _automl_step, _steps
from sim.cloud.runs import lifecycle, state

IS_REUSED, REUSED_RUN, REUSED_PIPELINE = "azureml.isreused", "azureml.reusedrunid", "azureml.reusedpipelinerunid"
FINGERPRINT = "azureml.pipeline.reuseKey"  # what reuse compares; absent where reuse is off (force_rerun, etc.)
NODE = "azureml.nodeid"


def statuses(record, plan: dict) -> dict:
    """{node: its child job's status, or None when it has not started}."""
    found = {}
    for node, spec in plan["nodes"].items():
        row = state.get(record, spec["run_id"])
        found[node] = None if row is None else lifecycle.status(record, spec["run_id"])
        if found[node] == state.COMPLETED and spec.get("kind") == _automl_step.AUTOML:
            _automl_step.write_outputs(record, spec, effective_run(record, spec["run_id"]))  # before later steps
    return found


def any_failed(found: dict) -> bool:
    """True when a node failed or was canceled."""
    return any(s in (state.FAILED, state.CANCELED) for s in found.values())


def start(record, pipeline: dict, plan: dict, node: str) -> str:
    """Start a node's child job (or complete it at once by reuse); returns its status."""
    spec = plan["nodes"][node]
    if spec.get("kind") == _steps.SCRIPT:  # an SDK v1 step
        key = _steps.reuse_key(record, plan, spec, lambda run_id: effective_run(record, run_id))
        parameters = plan["settings"].get("parameters") or {}
        submit = lambda: _steps.submit(record, pipeline, spec, parameters)  # noqa: E731
    elif spec.get("kind") == _automl_step.AUTOML:  # an SDK v1 AutoMLStep
        key = _automl_step.reuse_key(plan, spec, lambda run_id: effective_run(record, run_id))
        submit = lambda: _automl_step.submit(record, pipeline, spec)  # noqa: E731
    else:
        inputs = {name: _input(record, plan, binding) for name, binding in spec["inputs"].items()}
        key = _reuse_key(plan, spec, inputs)
        submit = lambda: _submit(record, pipeline, plan, node, inputs)  # noqa: E731
    original = _reusable(record, key) if key else None
    try:
        if original is not None:
            _reuse(record, pipeline, node, spec, original)
        else:
            submit()
            state.add_properties(record, spec["run_id"], {NODE: node, **({FINGERPRINT: key} if key else {})})
    except Conflict:  # another process started this node first
        pass
    except CloudError as exc:
        _record_failure(record, pipeline, spec, str(exc))
    return lifecycle.status(record, spec["run_id"])


def effective_run(record, run_id: str) -> str:
    """The run whose work a node's child job stands for: itself, or the run it was reused from."""
    row = state.get(record, run_id) or {}
    return (row.get("properties") or {}).get(REUSED_RUN) or run_id


def pipeline_outputs(record, plan: dict) -> dict:
    """{pipeline output: URI} for the node outputs promoted to the pipeline whose node has started."""
    found = {}
    for spec in plan["nodes"].values():
        promoted = any(settings["pipeline_output"] for settings in spec["outputs"].values())
        if not promoted or state.get(record, spec["run_id"]) is None:
            continue
        uris = command_jobs.output_uris(record, spec["run_id"])
        for output, settings in spec["outputs"].items():
            if settings["pipeline_output"]:
                found[settings["pipeline_output"]] = uris.get(output)
    return found


def _input(record, plan: dict, binding: dict) -> dict:
    """A node input as a command job takes it (a literal, or a data input with its URI)."""
    if "literal" in binding:
        return {"jobInputType": "literal", "value": binding["literal"]}
    if "data" in binding:
        return {k: v for k, v in binding["data"].items() if v is not None}
    upstream = plan["nodes"][binding["node"]]
    uri = command_jobs.output_uris(record, upstream["run_id"]).get(binding["output"])
    kind = binding.get("type") or upstream["outputs"][binding["output"]]["type"]
    return {k: v for k, v in {"jobInputType": kind, "uri": uri, "mode": binding.get("mode")}.items() if v}


def _outputs(plan: dict, spec: dict) -> dict:
    datastore = plan["settings"]["default_datastore"]
    return {name: {k: v for k, v in {
        "jobOutputType": out["type"], "mode": out["mode"],
        "uri": out["uri"] or f"azureml://datastores/{datastore}/paths/azureml/{spec['run_id']}/{name}/"}.items() if v}
        for name, out in spec["outputs"].items()}


def _submit(record, pipeline: dict, plan: dict, node: str, inputs: dict) -> None:
    spec = plan["nodes"][node]
    component = spec["component"]
    job = {"command": component.get("command"), "codeId": _strip(component.get("code")),
           "environmentId": _strip(component.get("environment")), "inputs": inputs, "outputs": _outputs(plan, spec),
           "computeId": None if spec["compute"] == command_jobs.SERVERLESS else spec["compute"],
           "environmentVariables": spec["environment_variables"], "experimentName": pipeline["experiment"],
           "displayName": spec["display_name"], "properties": {NODE: node}, "componentId": spec["component_id"]}
    command_jobs.submit(record, spec["run_id"], job, parent_run_id=pipeline["run_id"])


def _reuse_key(plan: dict, spec: dict, inputs: dict) -> str | None:
    """What decides reuse: the component's command, code, environment; inputs; output settings; compute."""
    deterministic = str(spec["component"].get("is_deterministic", True)).lower() != "false"
    if plan["settings"]["force_rerun"] or not deterministic:
        return None
    outputs = {name: (o["type"], o["mode"], o["uri"]) for name, o in spec["outputs"].items()}
    seen = {k: spec["component"].get(k) for k in ("command", "code", "environment")}
    text = json.dumps([seen, inputs, outputs, spec["compute"], spec["environment_variables"]], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _reusable(record, key: str) -> dict | None:
    """The newest completed node run with this reuse key."""
    rows = state.run_records
    query = (select(rows.c.run_id).where(rows.c.properties[FINGERPRINT].as_string() == key)
             .where(rows.c.status == state.COMPLETED).order_by(rows.c.created.desc()).limit(1))
    with state.engine(record).connect() as conn:
        run_id = conn.execute(query).scalar()
    return state.get(record, run_id) if run_id else None


def _reuse(record, pipeline: dict, node: str, spec: dict, original: dict) -> None:
    """A child job that completes at once with the earlier run's outputs, as Azure shows a reused node."""
    definition = dict(original["definition"] or {}, displayName=spec["display_name"])
    lifecycle.start(record, pipeline["experiment"], state.SCRIPT, state.RUNNING, parent_run_id=pipeline["run_id"],
                    target=original["target"], definition=definition, display_name=spec["display_name"],
                    run_id=spec["run_id"])
    state.add_properties(record, spec["run_id"], {
        NODE: node, IS_REUSED: "true", REUSED_RUN: original["run_id"],
        REUSED_PIPELINE: original.get("parent_run_id") or ""})
    lifecycle.finish(record, spec["run_id"], state.COMPLETED)


def _record_failure(record, pipeline: dict, spec: dict, message: str) -> None:
    """A node the service could not start shows as a failed child job with the reason."""
    if state.get(record, spec["run_id"]) is None:
        lifecycle.start(record, pipeline["experiment"], state.SCRIPT, state.NOT_STARTED,
                        parent_run_id=pipeline["run_id"], definition={"jobType": command_jobs.JOB_TYPE},
                        display_name=spec["display_name"], run_id=spec["run_id"])
    lifecycle.finish(record, spec["run_id"], state.FAILED, error={"error": {"code": "UserError", "message": message}})


def _strip(reference):
    """`azureml:<id>` as a job names it (the component spec keeps the prefix)."""
    text = str(reference or "")
    if text.startswith("azureml://"):  # a registry asset keeps its azureml:// id
        return text
    return text[len("azureml:"):] if text.startswith("azureml:/") else text or None
