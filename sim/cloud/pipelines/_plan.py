"""A submitted pipeline job compiled into the plan the service runs: nodes, their bindings and their order.

A pipeline job (Azure's PipelineJob) names its nodes (`jobs`), each a registered component with inputs bound to
a literal, a pipeline input (`${{parent.inputs.x}}`) or another node's output (`${{parent.jobs.a.outputs.b}}`),
and outputs that may be promoted to the pipeline's own (`${{parent.outputs.y}}`). Everything is checked here,
before the job exists: a missing component, an unknown binding, a required input left unbound, a cycle.
"""

from __future__ import annotations

import re
import uuid

from sim import messages
from sim.cloud import command_jobs, components, datastores, registry
from sim.cloud.errors import JOB, UserError
from sim.cloud.runs import jobs

_PARENT_INPUT = re.compile(r"^\$\{\{\s*parent\.inputs\.([\w.-]+)\s*\}\}$")
_NODE_OUTPUT = re.compile(r"^\$\{\{\s*parent\.jobs\.([\w.-]+)\.outputs\.([\w.-]+)\s*\}\}$")
_PARENT_OUTPUT = re.compile(r"^\$\{\{\s*parent\.outputs\.([\w.-]+)\s*\}\}$")
_COMPONENT_ID = re.compile(r"/components/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/?$", re.IGNORECASE)
_DATA_KINDS = ("uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model")


def compile_plan(record, name: str, job: dict) -> dict:
    """The plan of a pipeline job: {"nodes": {node: {...}}, "order": [...], "settings": {...}}.

    Raises:
        UserError: a node that is not a command component, an unknown binding, a required input left
        unbound, or nodes that depend on each other in a cycle. NotFound: a component that is not registered.
    """
    nodes = job.get("jobs") or {}
    if not nodes:
        raise UserError(JOB, messages.PIPELINE_EMPTY.format(name=name))
    settings = _settings(record, job.get("settings") or {})
    planned = {node: _node(record, node, spec or {}, job, settings) for node, spec in nodes.items()}
    return {"nodes": planned, "order": order(planned), "settings": settings}


def _settings(record, settings: dict) -> dict:
    """Pipeline-level settings: default compute and datastore (by name), force_rerun, continue_on_step_failure."""
    datastore = settings.get("default_datastore") or settings.get("defaultDatastore")
    return {"default_compute": command_jobs.compute_name(settings.get("default_compute")
                                                        or settings.get("defaultCompute")),
            "default_datastore": _last_segment(datastore) if datastore else datastores.default(record).name,
            "force_rerun": _flag(settings.get("force_rerun", settings.get("forceRerun"))),
            "continue_on_step_failure": _flag(settings.get("continue_on_step_failure",
                                                           settings.get("continueOnStepFailure")))}


def _node(record, node: str, spec: dict, job: dict, settings: dict) -> dict:
    """One node: its component, where each input comes from, where each output goes, on which compute."""
    kind = str(spec.get("type") or "command").lower()
    if kind != "command":
        raise UserError(JOB, messages.PIPELINE_NODE_KIND.format(node=node, kind=kind))
    component_id = str(spec.get("componentId") or "")
    component = _component(record, node, component_id)
    inputs = _inputs(node, spec.get("inputs") or {}, component.get("inputs") or {}, job)
    outputs = _outputs(node, spec.get("outputs") or {}, component.get("outputs") or {}, job)
    compute = spec.get("computeId") or spec.get("compute")
    compute = command_jobs.compute_name(compute) if compute else settings["default_compute"]
    if compute != command_jobs.SERVERLESS:
        jobs.resolve_target(record, compute)  # an unknown compute is refused before the pipeline exists
    return {"run_id": str(uuid.uuid4()), "display_name": spec.get("display_name") or spec.get("displayName") or node,
            "component_id": component_id, "component": component, "inputs": inputs, "outputs": outputs,
            "compute": compute,
            "environment_variables": dict(spec.get("environment_variables") or {}),
            "after": sorted({b["node"] for b in inputs.values() if "node" in b})}


def _component(record, node: str, component_id: str) -> dict:
    if registry.is_registry_component(component_id):  # a built-in component of the azureml registry
        return registry.resolve_component(component_id)
    match = _COMPONENT_ID.search(component_id)
    if match is None:
        raise UserError(JOB, messages.PIPELINE_COMPONENT_INVALID.format(node=node, component=component_id or "?"))
    version = components.get(record, match["name"], match["version"])
    spec = dict((version.spec or {}).get("componentSpec") or {})
    if str(spec.get("type") or "command").lower() != "command":
        raise UserError(JOB, messages.PIPELINE_NODE_KIND.format(node=node, kind=spec.get("type")))
    return spec


def _inputs(node: str, given: dict, declared: dict, job: dict) -> dict:
    """{input: binding} where a binding is {"literal": v}, {"data": spec} or {"node": n, "output": o}."""
    unknown = set(given) - set(declared)
    if unknown:
        raise UserError(JOB, messages.PIPELINE_BINDING_UNKNOWN.format(node=node, kind="input", name=sorted(unknown)[0]))
    bound = {}
    for name, declaration in declared.items():
        if name in given:
            bound[name] = _input_binding(node, name, given[name] or {}, declaration, job)
        elif declaration.get("default") is not None:
            bound[name] = {"literal": str(declaration["default"])}
        elif not _flag(declaration.get("optional")):
            raise UserError(JOB, messages.PIPELINE_INPUT_REQUIRED.format(node=node, name=name))
    return bound


def _input_binding(node: str, name: str, given: dict, declaration: dict, job: dict) -> dict:
    kind = str(given.get("job_input_type") or given.get("jobInputType") or "").lower()
    value = given.get("value")
    if kind != "literal" or not isinstance(value, str) or not value.startswith("${{"):
        return _direct_input(kind, given, declaration)
    if match := _PARENT_INPUT.match(value):
        pipeline_input = (job.get("inputs") or {}).get(match[1])
        if pipeline_input is None:
            raise UserError(JOB, messages.PIPELINE_BINDING_UNKNOWN.format(node=node, kind="pipeline input",
                                                                          name=match[1]))
        return _direct_input(str(pipeline_input.get("jobInputType") or "").lower(), pipeline_input, declaration)
    if match := _NODE_OUTPUT.match(value):
        return {"node": match[1], "output": match[2], "type": declaration.get("type"), "mode": given.get("mode")}
    raise UserError(JOB, messages.PIPELINE_BINDING_UNKNOWN.format(node=node, kind="input", name=value))


def _direct_input(kind: str, given: dict, declaration: dict) -> dict:
    if kind == "literal":
        return {"literal": str(given.get("value", ""))}
    if kind in _DATA_KINDS:
        return {"data": {"jobInputType": kind, "uri": given.get("uri"), "mode": given.get("mode")}}
    return {"literal": str(given.get("value", declaration.get("default", "")))}


def _outputs(node: str, given: dict, declared: dict, job: dict) -> dict:
    """{output: {"type", "mode", "uri", "pipeline_output"}} for every output the component declares."""
    unknown = set(given) - set(declared)
    if unknown:
        raise UserError(JOB, messages.PIPELINE_BINDING_UNKNOWN.format(node=node, kind="output",
                                                                      name=sorted(unknown)[0]))
    planned = {}
    for name, declaration in declared.items():
        spec = given.get(name) or {}
        promoted = _PARENT_OUTPUT.match(str(spec.get("value") or ""))
        target = (job.get("outputs") or {}).get(promoted[1]) or {} if promoted else spec
        planned[name] = {"type": str(declaration.get("type") or "uri_folder"), "mode": target.get("mode"),
                         "uri": target.get("uri"), "pipeline_output": promoted[1] if promoted else None}
    return planned


def order(nodes: dict) -> list[str]:
    """The nodes in an order where each comes after the nodes it reads from (Kahn's algorithm)."""
    for node, plan in nodes.items():
        for upstream in plan["after"]:
            if upstream not in nodes:
                raise UserError(JOB, messages.PIPELINE_BINDING_UNKNOWN.format(node=node, kind="node", name=upstream))
    order, placed = [], set()
    while len(order) < len(nodes):
        ready = [n for n, p in nodes.items() if n not in placed and set(p["after"]) <= placed]
        if not ready:
            raise UserError(JOB, messages.PIPELINE_CYCLE.format(nodes=", ".join(sorted(set(nodes) - placed))))
        order.extend(ready)
        placed.update(ready)
    return order


def _flag(value) -> bool:
    return str(value).lower() == "true"


def _last_segment(arm_id: str) -> str:
    return str(arm_id).rstrip("/").rsplit("/", 1)[-1]
