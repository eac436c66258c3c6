"""SDK v1 AutoMLStep as a node of the pipeline engine: an AutoML run (run type `automl`) child of the pipeline run.

The v1 face hands the service the step resolved to data: the AutoML settings, the training (and validation) data
as a tabular dataset definition or an earlier step's output folder to read as delimited files, the compute, and
the step's outputs. When the node starts, the service reads the data and submits the AutoML run through the AutoML
engine, with the node's run id. When that run has completed, the step's TrainingOutput outputs are written, as
Azure writes them: `Metrics` a JSON file of every trial's metrics ({trial run id: {metric: [value]}}), `Model`
the best trial's pickled model, each a single file at the output's path on its datastore.
"""

from __future__ import annotations

import hashlib
import json
import shutil

from sim import messages
from sim.cloud import datastores
from sim.cloud.errors import JOB, UserError
from sim.cloud.runs import files, metrics, state

AUTOML = "automl"
METRICS, MODEL = "Metrics", "Model"


def node(step: dict, run_id: str) -> dict:
    """The plan node of an AutoMLStep (see the module docstring for what `step` holds)."""
    return {"kind": AUTOML, "run_id": run_id, "display_name": step["name"], "settings": step["settings"],
            "training": step["training"], "validation": step.get("validation"),
            "compute": step.get("target") or "local", "allow_reuse": bool(step.get("allow_reuse", True)),
            "inputs": {}, "outputs": {}, "consumes": sorted(step.get("consumes", [])),
            "named_outputs": dict(step.get("named_outputs") or {}),
            "training_outputs": list(step.get("training_outputs") or [])}


def reuse_key(plan: dict, spec: dict, effective_run) -> str | None:
    """What decides an AutoML step's reuse: its settings, data, compute, the runs that made its input data, and
    where its outputs go (a reused step's outputs are the files its original run wrote there)."""
    if plan["settings"]["force_rerun"] or not spec["allow_reuse"]:
        return None
    upstream = {node: effective_run(plan["nodes"][node]["run_id"]) for node in spec["after"]}
    seen = [AUTOML, spec["settings"], spec["training"], spec["validation"], spec["compute"], upstream,
            spec["training_outputs"]]
    return hashlib.sha256(json.dumps(seen, sort_keys=True, default=str).encode()).hexdigest()


def submit(record, pipeline: dict, spec: dict) -> None:
    """Read the step's data and start its AutoML run, child of the pipeline run."""
    from sim.cloud.automl import engine  # scikit-learn and pandas: imported only when an AutoML step runs

    training = read_table(record, spec["training"])
    validation = read_table(record, spec["validation"]) if spec["validation"] else None
    engine.submit(record, pipeline["experiment"], spec["settings"], training, validation, run_id=spec["run_id"],
                  target=spec["compute"], display_name=spec["display_name"], parent_run_id=pipeline["run_id"])


def read_table(record, source: dict):
    """A DataFrame from a tabular dataset definition, or from the delimited files of an earlier step's output."""
    from sim.cloud import data_engine
    from sim.cloud.datasets import ResolvedFile

    if source["kind"] == "definition":
        return data_engine.frame_of(record, source["definition"])
    root = datastores.content_root(record, source["datastore"])
    folder = root / datastores.clean_relative(source["path"])
    found = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    if not found:
        raise UserError(JOB, messages.AUTOML_STEP_NO_DATA.format(path=source["path"]))
    resolved = [ResolvedFile(p, source["datastore"], p.relative_to(root).as_posix(), "/" + p.relative_to(folder)
                             .as_posix()) for p in found]
    return data_engine.frame_from_files(resolved, {"format": "delimited", "separator": source.get("separator", ",")})


def write_outputs(record, spec: dict, run_id: str) -> None:
    """Write the step's Metrics and Model outputs ({type, datastore, path} each) once its AutoML run has completed
    (once only), from the AutoML run `run_id` (the step's own, or the run it reused)."""
    from sim.cloud.automl import engine

    for where in spec["training_outputs"]:
        target = datastores.content_root(record, where["datastore"]) / datastores.clean_relative(where["path"])
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(f".{target.name}.partial")
        if where["type"] == METRICS:
            staging.write_text(json.dumps(_all_metrics(record, run_id), default=str))
        else:
            best = engine.best_trial(record, run_id)
            if best is None:
                continue
            shutil.copyfile(files.artifact_root(record, best[0]) / "outputs/model.pkl", staging)
        staging.replace(target)


def _all_metrics(record, run_id: str) -> dict:
    """{trial run id: {metric: [value]}} for the run's completed trials."""
    from sim.cloud.automl import engine

    found = {}
    for row in engine.trials(record, run_id):
        if row["status"] == state.COMPLETED:
            logged = metrics.get_metrics(record, row["run_id"])
            found[row["run_id"]] = {k: v if isinstance(v, list) else [v] for k, v in logged.items()
                                    if metrics.is_number(v)}
    return found
