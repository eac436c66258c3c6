"""A command job's inputs and outputs, bound to real paths, and its command line with them substituted.

Azure ML mounts (or downloads) each data input and gives the command its local path; an output is an empty
folder that the job writes into and that ends up in storage. Here a data input's path is the file or folder its
URI names on disk (`sim.cloud.data_uris`: datastore paths, data assets, blob URLs), read in place; an output is
a folder in its datastore, by default `azureml/<job>/<output>/` of the workspace's default datastore, so what
the job writes is in storage at once (as with Azure's read-write mount).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from sim import messages
from sim.cloud import data_uris, datastores
from sim.cloud.errors import JOB, UserError

LITERAL = "literal"
DATA_INPUTS = ("uri_file", "uri_folder", "mltable", "custom_model", "mlflow_model", "triton_model")
MODEL_INPUTS = ("custom_model", "mlflow_model", "triton_model")
# A registered model as a job input names it: `azureml:<name>:<version>` or its ARM id `.../models/<name>/versions/<v>`.
_MODEL = re.compile(r"(?:^azureml:|/models/)(?P<name>[^/:]+)(?::|/versions/)(?P<version>[^/:]+)/?$")
_REFERENCE = re.compile(r"\$\{\{\s*(inputs|outputs)\.([A-Za-z_][\w]*)\s*\}\}")
_OPTIONAL = re.compile(r"\$\[\[(.*?)\]\]", re.DOTALL)


def input_path(record, spec: dict) -> str:
    """The value a command gets for an input: a literal's text, or the local path of a data input.

    Raises:
        UserError: an input type or URI the service cannot bind.
    """
    kind = str(spec.get("jobInputType") or "").lower()
    if kind == LITERAL:
        return str(spec.get("value", ""))
    if kind not in DATA_INPUTS or not spec.get("uri"):
        raise UserError(JOB, messages.JOB_INPUT_UNSUPPORTED.format(kind=kind or "?"))
    model = _MODEL.search(spec["uri"]) if kind in MODEL_INPUTS else None
    if model is not None:  # a registered model: the folder its files were registered in
        from sim.cloud.models import assets as model_assets

        return str(model_assets.get(record, model["name"], model["version"]).version.path)
    return str(data_uris.local_path(record, spec["uri"]))


def default_output_uri(record, job_name: str, output: str) -> str:
    """Where an output without a path goes: `azureml/<job>/<output>/` on the default datastore."""
    return f"azureml://datastores/{datastores.default(record).name}/paths/azureml/{job_name}/{output}/"


def output_path(record, job_name: str, output: str, spec: dict) -> tuple[Path, Path]:
    """(the path the command gets for an output, the folder to create for it).

    The path is a folder, or a file for a uri_file output given a file path.
    """
    uri = spec.get("uri") or default_output_uri(record, job_name, output)
    path = data_uris.local_path(record, uri)
    is_file = str(spec.get("jobOutputType") or "").lower() == "uri_file" and not uri.endswith("/")
    return path, (path.parent if is_file else path)


def prepare_outputs(folders) -> None:
    """Create the outputs' folders (empty, as Azure gives them to the job)."""
    for folder in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)


def bind(record, job_name: str, inputs: dict, outputs: dict) -> tuple[dict, dict, list[Path]]:
    """({input: value}, {output: path}, [output folders to create]) for a job's inputs and outputs."""
    bound_inputs = {name: input_path(record, spec or {}) for name, spec in (inputs or {}).items()}
    placed = {name: output_path(record, job_name, name, spec or {}) for name, spec in (outputs or {}).items()}
    return bound_inputs, {name: str(p[0]) for name, p in placed.items()}, [p[1] for p in placed.values()]


def substitute(command: str, inputs: dict, outputs: dict) -> str:
    """The command line with `${{inputs.x}}` and `${{outputs.y}}` replaced by their values.

    `$[[ ... ]]` marks an optional part: kept (without the brackets) when every input it names was given,
    dropped otherwise.

    Raises:
        UserError: the command names an input or output the job does not have.
    """
    def optional(match) -> str:
        names = _REFERENCE.findall(match.group(1))
        given = all((inputs if kind == "inputs" else outputs).get(name) is not None for kind, name in names)
        return match.group(1) if given else ""

    def value(match) -> str:
        kind, name = match.groups()
        found = (inputs if kind == "inputs" else outputs).get(name)
        if found is None:
            raise UserError(JOB, messages.JOB_BINDING_UNKNOWN.format(kind=kind, name=name))
        return shlex.quote(found) if Path(found).is_absolute() else found

    return _REFERENCE.sub(value, _OPTIONAL.sub(optional, command))


def environment_variables(inputs: dict, outputs: dict) -> dict:
    """The variables Azure ML sets for inputs and outputs (`AZURE_ML_INPUT_<name>`, `AZURE_ML_OUTPUT_<name>`)."""
    found = {f"AZURE_ML_INPUT_{name}": value for name, value in inputs.items()}
    found.update({f"AZURE_ML_OUTPUT_{name}": value for name, value in outputs.items()})
    return found
