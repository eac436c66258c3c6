"""Pipeline parameters of SDK v1 pipelines: values a run can be given without changing the pipeline.

A step's argument that is a PipelineParameter reaches the service as the placeholder `$AML_PARAMETER_<name>` (the
name Azure ML gives it, also its environment variable), and the step declares the parameter with its default:
`{"kind": "literal", "default": 0.1}` or, for a DataPath parameter, `{"kind": "datapath", "default":
{"datastore": ..., "path": ...}}`. When the run is submitted the defaults are overridden by the values given
(`pipeline_parameters=`, the REST body's `ParameterAssignments` / `DataPathAssignments`, a schedule's), and when a
step starts its placeholders are replaced: a literal by its text, a data path by the datastore folder it names.
"""

from __future__ import annotations

from sim import messages
from sim.cloud import datastores
from sim.cloud.errors import JOB, UserError

LITERAL, DATAPATH = "literal", "datapath"
PLACEHOLDER = "$AML_PARAMETER_{name}"


def declared(steps: list[dict]) -> dict[str, dict]:
    """{name: declaration} of every parameter the steps use.

    Raises:
        UserError: two steps declare one name with different defaults.
    """
    found: dict[str, dict] = {}
    for step in steps:
        for name, declaration in (step.get("parameters") or {}).items():
            if name in found and found[name] != declaration:
                raise UserError(JOB, messages.PIPELINE_PARAMETER_CONFLICT.format(name=name))
            found[name] = declaration
    return found


def resolve(steps: list[dict], given: dict | None) -> dict[str, dict]:
    """{name: {"kind", "value"}}: each declared parameter's default, or the value `given` for it.

    Raises:
        UserError: a given name that no step uses, or a value of the wrong kind for a data path parameter.
    """
    known = declared(steps)
    given = dict(given or {})
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise UserError(JOB, messages.PIPELINE_PARAMETER_UNKNOWN.format(
            names=", ".join(unknown), known=", ".join(sorted(known)) or "none"))
    return {name: {"kind": d["kind"], "value": _checked(name, d, given[name]) if name in given else d["default"]}
            for name, d in known.items()}


def _checked(name: str, declaration: dict, value):
    """A given value as the parameter takes it (a data path needs a datastore and a path)."""
    if declaration["kind"] != DATAPATH:
        if isinstance(value, dict | list):
            raise UserError(JOB, messages.PIPELINE_PARAMETER_NOT_LITERAL.format(name=name, value=value))
        return value
    if not isinstance(value, dict) or not value.get("datastore") or value.get("path") is None:
        raise UserError(JOB, messages.PIPELINE_PARAMETER_NOT_DATAPATH.format(name=name, value=value))
    return {"datastore": str(value["datastore"]), "path": str(value["path"])}


def datapath_assignments(body: dict | None) -> dict:
    """The REST body's `DataPathAssignments` ({name: {"DataStoreName", "RelativePath"}}) as parameter values."""
    return {name: {"datastore": spec.get("DataStoreName"), "path": spec.get("RelativePath")}
            for name, spec in (body or {}).items() if isinstance(spec, dict)}


def substitute(record, arguments: list[str], values: dict[str, dict]) -> list[str]:
    """The arguments with every parameter placeholder replaced by the run's value."""
    texts = {name: _text(record, v) for name, v in values.items()}
    names = sorted(texts, key=len, reverse=True)  # `$AML_PARAMETER_ab` before `$AML_PARAMETER_a`
    done = []
    for argument in arguments:
        for name in names:
            argument = argument.replace(PLACEHOLDER.format(name=name), texts[name])
        done.append(argument)
    return done


def _text(record, value: dict) -> str:
    if value["kind"] == DATAPATH:
        where = value["value"]
        return str(datastores.content_root(record, where["datastore"]) / datastores.clean_relative(where["path"]))
    return str(value["value"])
