"""Checks of lab 16 (a training pipeline from components, SDK v2): the components registered, the pipeline jobs the
service ran, the data that really went from one step to the next, the model saved, and which step was reused."""

from __future__ import annotations

from labs.grading import failed, needs, passed
from sim.cloud import command_jobs, components, data_uris, pipelines
from sim.cloud.errors import CloudError
from sim.cloud.pipelines import _nodes
from sim.cloud.runs import state

EXPERIMENT = "pipeline_diabetes"
PREP, TRAIN = "prep_data", "train_model"
PREP_IO = ({"input_data": "uri_file"}, {"output_data": "uri_folder"})
TRAIN_IO = ({"training_data": "uri_folder", "reg_rate": "number"}, {"model_output": "mlflow_model"})


# ---- what the service holds ----------------------------------------------------------------------------

def _component(record, name: str) -> dict | None:
    """The spec of version 1 of a registered component, or None."""
    try:
        return components.get(record, name, "1").spec.get("componentSpec") or {}
    except CloudError:
        return None


def _pipelines(record) -> list[dict]:
    """The experiment's pipeline jobs, newest first, each with its plan and its nodes' child jobs by component."""
    found = []
    for row in pipelines.list_jobs(record):
        if row["experiment"] != EXPERIMENT:
            continue
        row = pipelines.get(record, row["run_id"])
        plan = row["definition"]["plan"]
        nodes = {_component_name(spec["component_id"]): {"spec": spec, "job": state.get(record, spec["run_id"])}
                 for spec in plan["nodes"].values()}
        found.append({"name": row["run_id"], "status": row["status"], "plan": plan, "nodes": nodes})
    return found


def _component_name(component_id: str) -> str:
    parts = str(component_id).rstrip("/").split("/")
    return parts[-3] if len(parts) >= 3 and parts[-2] == "versions" else ""


def _completed(record) -> list[dict]:
    return [p for p in _pipelines(record) if p["status"] == state.COMPLETED]


def _two_step(pipeline: dict) -> bool:
    return set(pipeline["nodes"]) == {PREP, TRAIN}


def _reg_rate(node: dict) -> float | None:
    binding = node["spec"]["inputs"].get("reg_rate") or {}
    try:
        return float(binding.get("literal"))
    except (TypeError, ValueError):
        return None


# ---- the components ------------------------------------------------------------------------------------

def _component_check(record, name: str, io: tuple[dict, dict], yaml_file: str):
    spec = _component(record, name)
    if spec is None:
        return failed(f"No component '{name}' version 1 is registered yet.",
                      hint=f"ml_client.components.create_or_update(load_component(source='./{yaml_file}'))",
                      pt=f"Ainda não há componente '{name}' versão 1 registrado.")
    declared = ({k: str((v or {}).get("type")) for k, v in (spec.get("inputs") or {}).items()},
                {k: str((v or {}).get("type")) for k, v in (spec.get("outputs") or {}).items()})
    if declared != io:
        return failed(f"Component '{name}' does not declare the inputs and outputs the lab asks for.",
                      expected=f"inputs {io[0]}, outputs {io[1]}", found=f"inputs {declared[0]}, outputs {declared[1]}",
                      pt=f"O componente '{name}' não declara as entradas e saídas que o laboratório pede.")
    unused = [n for n in [*io[0], *io[1]] if n not in str(spec.get("command") or "")]
    if unused:
        return failed(f"The command of '{name}' never passes {', '.join(unused)} to the script.",
                      hint="Name each one in the command as ${{inputs.<name>}} or ${{outputs.<name>}}.",
                      pt=f"O comando de '{name}' nunca passa {', '.join(unused)} ao script.")
    return passed(f"Component '{name}' is registered with its inputs, outputs and command.",
                  pt=f"O componente '{name}' está registrado com entradas, saídas e comando.")


def prep_component_registered(record):
    return _component_check(record, PREP, PREP_IO, "prep-data.yml")


def train_component_registered(record):
    return _component_check(record, TRAIN, TRAIN_IO, "train-model.yml")


# ---- the first pipeline --------------------------------------------------------------------------------

def pipeline_completed(record):
    found = _pipelines(record)
    if not found:
        return failed(f"The experiment '{EXPERIMENT}' has no pipeline job yet.",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem job de pipeline.")
    if not _completed(record):
        return failed("No pipeline job completed; open the failed step's job and read its std_log.txt.",
                      expected=state.COMPLETED, found=found[0]["status"],
                      pt="Nenhum job de pipeline foi concluído; abra o job da etapa que falhou e leia o std_log.txt.")
    return passed("A pipeline job completed.", pt="Um job de pipeline foi concluído.")


@needs("pipeline_completed")
def pipeline_uses_registered_components(record):
    if not any(_two_step(p) for p in _completed(record)):
        return failed(f"No completed pipeline has exactly the two steps {PREP} and {TRAIN} (version 1).",
                      hint='Get them with ml_client.components.get("prep_data", version="1") before the pipeline.',
                      pt=f"Nenhum pipeline concluído tem exatamente as duas etapas {PREP} e {TRAIN} (versão 1).")
    return passed("The pipeline's steps are the two registered components.",
                  pt="As etapas do pipeline são os dois componentes registrados.")


def _reads_prep_output(pipeline: dict) -> bool:
    binding = pipeline["nodes"][TRAIN]["spec"]["inputs"].get("training_data") or {}
    prep_node = next(node for node, spec in pipeline["plan"]["nodes"].items()
                     if spec["run_id"] == pipeline["nodes"][PREP]["spec"]["run_id"])
    return binding.get("node") == prep_node and binding.get("output") == "output_data"


@needs("pipeline_uses_registered_components")
def training_read_prepared_data(record):
    if not any(_reads_prep_output(p) for p in _completed(record) if _two_step(p)):
        return failed("The training step does not read the preparation step's output_data.",
                      hint="train_model(training_data=clean_data.outputs.output_data)",
                      pt="A etapa de treinamento não lê a output_data da etapa de preparação.")
    return passed("The training step read what the preparation step wrote.",
                  pt="A etapa de treinamento leu o que a etapa de preparação escreveu.")


def _model_folder(record, pipeline: dict):
    job = pipeline["nodes"][TRAIN]["job"]
    uri = command_jobs.output_uris(record, job["run_id"]).get("model_output") if job else None
    return data_uris.local_path(record, uri) if uri else None


@needs("training_read_prepared_data")
def pipeline_saved_an_mlflow_model(record):
    for pipeline in _completed(record):
        folder = _model_folder(record, pipeline) if _two_step(pipeline) else None
        if folder is not None and (folder / "MLmodel").is_file():
            return passed("The training step saved an MLflow model in model_output.",
                          pt="A etapa de treinamento salvou um modelo MLflow em model_output.")
    return failed("The training step's model_output holds no MLflow model (no MLmodel file).",
                  hint="The script must call mlflow.sklearn.save_model(model, args.model_output).",
                  pt="A model_output da etapa de treinamento não contém um modelo MLflow (sem arquivo MLmodel).")


# ---- the second pipeline -------------------------------------------------------------------------------

def _second(record) -> list[dict]:
    return [p for p in _completed(record) if _two_step(p) and _reg_rate(p["nodes"][TRAIN]) == 0.1]


def second_pipeline_completed(record):
    if not _second(record):
        return failed(f"No completed pipeline in '{EXPERIMENT}' trained with reg_rate 0.1 yet.",
                      hint="Pass reg_rate=0.1 to the pipeline function and from it to the training step.",
                      pt=f"Ainda não há pipeline concluído em '{EXPERIMENT}' treinado com reg_rate 0.1.")
    return passed("A pipeline trained with reg_rate 0.1 completed.",
                  pt="Um pipeline treinado com reg_rate 0.1 foi concluído.")


def _reused(node: dict) -> bool:
    return ((node["job"] or {}).get("properties") or {}).get(_nodes.IS_REUSED) == "true"


@needs("second_pipeline_completed")
def preparation_was_reused(record):
    if not any(_reused(p["nodes"][PREP]) for p in _second(record)):
        return failed("The preparation step ran again instead of being reused.",
                      hint="Give it exactly the same input as before (azureml:diabetes-data:1), the same compute, "
                           "and do not set force_rerun.",
                      pt="A etapa de preparação foi executada de novo em vez de reutilizada.")
    return passed("The preparation step was reused: nothing it depends on had changed.",
                  pt="A etapa de preparação foi reutilizada: nada de que ela depende tinha mudado.")


@needs("second_pipeline_completed")
def training_ran_with_the_new_rate(record):
    if all(_reused(p["nodes"][TRAIN]) for p in _second(record)):
        return failed("The training step was reused, so no model was trained with reg_rate 0.1.",
                      pt="A etapa de treinamento foi reutilizada, então nenhum modelo foi treinado com reg_rate 0.1.")
    return passed("The training step ran again, because its reg_rate changed.",
                  pt="A etapa de treinamento foi executada de novo, porque o reg_rate dela mudou.")
