"""Pipeline parameters of SDK v1 pipelines: values a run can be given without changing the pipeline.

A step's argument that is a PipelineParameter reaches the service as the placeholder `$AML_PARAMETER_<name>` (the
name Azure ML gives it), and the step declares the parameter with its default: `{"kind": "literal", "default":
0.1}`; for a DataPath parameter `{"kind": "datapath", "default": {"datastore": ..., "path": ...}}`; for a dataset
parameter `{"kind": "dataset", "default": <the saved dataset: id, kind, definition, workspace, registration>}`,
whose input spec then names the parameter instead of a dataset. When the run is submitted the defaults are
overridden by the values given (`pipeline_parameters=`, the REST body's `ParameterAssignments`,
`DataPathAssignments` and `DataSetDefinitionValueAssignments`, a schedule's), and when a step starts its
placeholders are replaced: a literal by its text, a data path by the datastore folder it names, a dataset by its id
(and the input by that dataset, which the script finds in `run.input_datasets`).
"""

from __future__ import annotations

from sim import messages
from sim.cloud import datasets, datastores
from sim.cloud.errors import JOB, UserError

LITERAL, DATAPATH, DATASET = "literal", "datapath", "dataset"
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
    """A given value as the parameter takes it (a data path needs a datastore and a path, a dataset its saved
    definition)."""
    if declaration["kind"] == DATASET:
        if not isinstance(value, dict) or not value.get("id") or not isinstance(value.get("definition"), dict):
            raise UserError(JOB, messages.PIPELINE_PARAMETER_NOT_A_DATASET.format(name=name, value=value))
        return value
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


def dataset_assignments(record, body: dict | None) -> dict:
    """The REST body's `DataSetDefinitionValueAssignments` ({name: {"SavedDataSetReference": {"Id": ...}}}) as
    parameter values (each dataset's saved definition).

    Raises:
        NotFound: no saved dataset has that id.
    """
    found = {}
    for name, spec in (body or {}).items():
        dataset_id = ((spec or {}).get("SavedDataSetReference") or {}).get("Id") if isinstance(spec, dict) else None
        if not dataset_id:
            raise UserError(JOB, messages.PIPELINE_PARAMETER_NOT_A_DATASET.format(name=name, value=spec))
        info = datasets.get_by_id(record, dataset_id)
        registration = {"name": info.name, "version": info.version} if info.name else None
        found[name] = {"id": info.id, "kind": "TabularDataset" if info.dataset_type == "tabular" else "FileDataset",
                       "definition": info.definition, "registration": registration,
                       "workspace": {"subscription_id": record.subscription_id,
                                     "resource_group": record.resource_group, "name": record.name}}
    return found


def substitute_inputs(input_specs: list[dict], values: dict[str, dict]) -> list[dict]:
    """A step's input specs with each dataset parameter's input given the run's dataset."""
    done = []
    for spec in input_specs:
        name = (spec.get("input") or {}).get("parameter")
        if name is None:
            done.append(spec)
            continue
        reference = values[name]["value"]
        done.append(dict(spec, argument=reference["id"], input=dict(reference, mode="direct")))
    return done


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


def datapath_references(record, arguments: list[str], values: dict[str, dict]) -> list[dict]:
    """The folders the data path parameters in `arguments` name, as data references of the step's job (so a
    sandboxed job may reach them; they are not input datasets)."""
    found = []
    for name, value in values.items():
        if value["kind"] == DATAPATH and any(PLACEHOLDER.format(name=name) in a for a in arguments):
            path = _text(record, value)
            found.append({"name": name, "argument": path, "input": {"mode": "reference", "path": path}})
    return found


def _text(record, value: dict) -> str:
    if value["kind"] == DATASET:
        return str(value["value"]["id"])
    if value["kind"] == DATAPATH:
        where = value["value"]
        return str(datastores.content_root(record, where["datastore"]) / datastores.clean_relative(where["path"]))
    return str(value["value"])
