"""The data a v1 pipeline step reads and writes (its bindings), put in place by the service when the step starts.

A client cannot make a step's folders: it describes each piece of data, and the service makes it exist in the
step's job folder or on a datastore, as Azure ML's compute does. A binding is a one-key dict:

- `{"dataset": request}`: a saved dataset given to the script (`as_named_input`, directly, downloaded or mounted);
  the request is what `sim.cloud.runs.inputs.place` takes;
- `{"output": {"id", "name", "datastore", "path", "kind", "pipeline_output"?, "training_output"?}}`: a folder the
  step writes (an OutputFileDatasetConfig or a PipelineData; an AutoMLStep's training output is one file);
- `{"step_data": {"id", "name", "datastore", "path", "mode", "kind"}}`: an earlier step's output, read;
- `{"dataset_parameter": {"name", "parameter"}}`: the dataset a run gives a dataset PipelineParameter.

Placed, each gives what the script's process reads: `{"name", "argument", "input", "output"?}` (see
`sim.azureml.data.dataset_consumption_config`); a PipelineData is a data reference (mode "reference"): a folder
path on the command line, not one of the run's input datasets. A job's sandbox binds what the specs name.
"""

from __future__ import annotations

from pathlib import Path

from sim import messages
from sim.cloud import datastores
from sim.cloud.errors import JOB, UserError

DATASET, OUTPUT, STEP_DATA, DATASET_PARAMETER = "dataset", "output", "step_data", "dataset_parameter"
KINDS = (DATASET, OUTPUT, STEP_DATA, DATASET_PARAMETER)
PIPELINE_DATA, OUTPUT_FILE = "PipelineData", "OutputFileDatasetConfig"
DISPLAY = {DATASET: "DatasetConsumptionConfig:{name}", STEP_DATA: "DatasetConsumptionConfig:{name}",
           DATASET_PARAMETER: "DatasetConsumptionConfig:{name}", OUTPUT: "DatasetOutputConfig:{name}"}


def kind_of(binding) -> tuple[str, dict]:
    """(kind, its description) of a binding.

    Raises:
        UserError: not a one-key dict of a known kind.
    """
    if not (isinstance(binding, dict) and len(binding) == 1 and next(iter(binding)) in KINDS
            and isinstance(next(iter(binding.values())), dict)):
        raise UserError(JOB, messages.PIPELINE_STEP_BAD_BINDING.format(binding=str(binding)[:200]))
    kind = next(iter(binding))
    return kind, binding[kind]


def display(binding: dict) -> str:
    """How the step's argument list shows a binding (the SDK's own placeholder text)."""
    kind, value = kind_of(binding)
    if value.get("kind") == PIPELINE_DATA:
        return f"$AZUREML_DATAREFERENCE_{value['name']}"
    return DISPLAY[kind].format(name=value.get("name"))


def folder(record, value: dict) -> Path:
    """Where an output (or an earlier step's output) is on its datastore."""
    return datastores.content_root(record, value["datastore"]) / datastores.clean_relative(value["path"])


def place(record, work_dir: Path, binding: dict, parameters: dict) -> dict:
    """Put one binding in place for a step whose job folder is `work_dir` (see the module docstring)."""
    from sim.cloud.runs import inputs

    kind, value = kind_of(binding)
    if kind == DATASET:
        return inputs.place(record, work_dir, value)
    if kind == DATASET_PARAMETER:
        reference = parameters[value["parameter"]]["value"]
        return {"name": value["name"], "argument": reference["id"], "input": dict(reference, mode="direct")}
    where = folder(record, value)
    if kind == OUTPUT and not value.get("training_output"):  # a training output is one file its step writes
        where.mkdir(parents=True, exist_ok=True)
    if value.get("kind") == PIPELINE_DATA:  # a data reference, as Azure calls it: a folder, not a dataset input
        return {"name": value["name"], "argument": str(where), "input": {"mode": "reference", "path": str(where)}}
    if kind == OUTPUT:
        return {"name": value["name"], "argument": str(where), "output": True,
                "input": {"mode": "output", "path": str(where), "kind": value["kind"]}}
    return {"name": value["name"], "argument": str(where),
            "input": {"mode": value.get("mode") or "mount", "path": str(where), "kind": "FileDataset"}}


def reuse_part(binding: dict, parameters: dict):
    """What of a binding decides a step's reuse: the binding itself, or the run's dataset for a parameter."""
    kind, value = kind_of(binding)
    if kind == DATASET_PARAMETER:
        return {"name": value["name"], "dataset": parameters[value["parameter"]]["value"]}
    return binding
