"""Checks of lab 21 (AutoML job, SDK v2): the AutoML jobs the service ran (settings, limits, which algorithms their
trials tried) and the registered MLflow model against the child job that truly scored best by the primary metric
(the same MLflow model, not only the same name)."""

from __future__ import annotations

import math

from labs import checklib
from labs.grading import failed, needs, passed

EXPERIMENT, METRIC, MODEL, BLOCKED = "auto-ml-class-dev", "accuracy", "diabetes-automl", "LogisticRegression"
CONFIG = {"task": "classification", "primary_metric": METRIC, "label_column": "Diabetic", "max_trials": 5,
          "max_concurrent_trials": 2, "n_cross_validations": 3}
OUTPUT = "outputs/mlflow-model"


# ---- what the service holds ----------------------------------------------------------------------------

def _jobs(record) -> list[dict]:
    """The experiment's AutoML jobs, newest first."""
    from sim.cloud.automl import automl_jobs

    return [j for j in automl_jobs.list_jobs(record) if j["experiment"] == EXPERIMENT]


def _completed(record) -> list[dict]:
    return [j for j in _jobs(record) if j["status"] == "Completed"]


def _settings(job: dict) -> dict:
    settings = job["definition"]["automl"]
    return {**{k: settings.get(k) for k in CONFIG}, "blocked": settings.get("blocked") or []}


def _matches(job: dict) -> bool:
    settings = _settings(job)
    return {k: settings[k] for k in CONFIG} == CONFIG and BLOCKED in settings["blocked"]


def _configured(record) -> list[dict]:
    return [j for j in _completed(record) if _matches(j)]


def _trials(record, name: str) -> list[dict]:
    from sim.cloud.automl import engine

    return engine.trials(record, name)


def _scores(record, name: str) -> dict[str, float]:
    """Each completed trial's primary metric, read from its own logged metrics."""
    out = {}
    for trial in _trials(record, name):
        value = checklib.scalar(checklib.metrics(record, trial["run_id"]).get(METRIC))
        if trial["status"] == "Completed" and isinstance(value, int | float):
            out[trial["run_id"]] = float(value)
    return out


# ---- step 1: the job ------------------------------------------------------------------------------------

def automl_job_completed(record):
    jobs = _jobs(record)
    if not jobs:
        return failed(f"The experiment '{EXPERIMENT}' has no AutoML job yet: submit automl.classification(...).",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem job de AutoML: envie automl.classification(...).")
    if not _completed(record):
        return failed("No AutoML job completed; stream the latest one and read its failed trials.",
                      expected="Completed", found=jobs[0]["status"],
                      pt="Nenhum job de AutoML foi concluído; acompanhe o mais recente com stream e leia as avaliações "
                         "que falharam.")
    return passed("An AutoML job completed.", pt="Um job de AutoML foi concluído.")


@needs("automl_job_completed")
def automl_job_configured(record):
    if not _completed(record):
        return failed("There is no completed AutoML job whose settings could be checked yet.",
                      pt="Ainda não há job de AutoML concluído cujas configurações possam ser verificadas.")
    if not _configured(record):
        return failed(f"No completed AutoML job classified 'Diabetic' by {METRIC} with 3-fold cross-validation, "
                      f"max_trials=5, max_concurrent_trials=2 and {BLOCKED} blocked.",
                      expected={**CONFIG, "blocked": [BLOCKED]}, found=_settings(_completed(record)[0]),
                      pt=f"Nenhum job de AutoML concluído classificou 'Diabetic' por {METRIC} com validação cruzada "
                         f"de 3 partes, max_trials=5, max_concurrent_trials=2 e {BLOCKED} bloqueado.")
    return passed("The job has its metric, validation, limits and blocked algorithm.",
                  pt="O job tem a métrica, a validação, os limites e o algoritmo bloqueado.")


@needs("automl_job_configured")
def blocked_algorithm_never_tried(record):
    if not _configured(record):
        return failed("There is no completed AutoML job as configured in step 1 whose trials could be listed yet.",
                      pt="Ainda não há job de AutoML concluído, configurado como no passo 1, cujas avaliações possam "
                         "ser listadas.")
    job = _configured(record)[0]
    algorithms = [(t.get("properties") or {}).get("run_algorithm") for t in _trials(record, job["run_id"])]
    if BLOCKED in algorithms or len(algorithms) != CONFIG["max_trials"]:
        return failed(f"The job should run five trials and none of them {BLOCKED}.",
                      expected=f"5 trials without {BLOCKED}", found=algorithms,
                      pt=f"O job deveria executar cinco avaliações, nenhuma delas {BLOCKED}.")
    return passed(f"Five trials ran, none of them {BLOCKED}: {', '.join(algorithms)}.",
                  pt=f"Cinco avaliações foram executadas, nenhuma delas {BLOCKED}: {', '.join(algorithms)}.")


# ---- step 2: the best model ---------------------------------------------------------------------------

def _versions(record) -> list:
    from sim.cloud.models import assets

    try:
        return assets.list_versions(record, MODEL)
    except Exception:  # noqa: BLE001 - no such model
        return []


def model_registered(record):
    versions = _versions(record)
    if not versions:
        return failed(f"No model named '{MODEL}' is registered yet.",
                      pt=f"Nenhum modelo chamado '{MODEL}' está registrado ainda.")
    if versions[0].model_type != "mlflow_model":
        return failed(f"'{MODEL}' is registered, but not as an MLflow model: pass type=AssetTypes.MLFLOW_MODEL.",
                      expected="mlflow_model", found=versions[0].model_type,
                      pt=f"'{MODEL}' está registrado, mas não como modelo MLflow: passe type=AssetTypes.MLFLOW_MODEL.")
    return passed(f"'{MODEL}' is registered as an MLflow model.", pt=f"'{MODEL}' está registrado como modelo MLflow.")


def _mlmodel_id(folder) -> str | None:
    import yaml

    path = folder / "MLmodel" if folder is not None else None
    if path is None or not path.exists():
        return None
    return (yaml.safe_load(path.read_text()) or {}).get("model_uuid")


def _child_model_id(record, child: str) -> str | None:
    from sim.cloud.runs import files

    return _mlmodel_id(files.artifact_root(record, child) / OUTPUT)


def _parent_of(record, child: str | None) -> dict | None:
    return next((j for j in _configured(record) if child and child.startswith(j["run_id"] + "_")), None)


@needs("model_registered")
def model_is_the_best_child(record):
    if not _versions(record):
        return failed(f"There is no '{MODEL}' to compare with the job's best trial yet.",
                      pt=f"Ainda não há '{MODEL}' para comparar com a melhor avaliação do job.")
    asset = _versions(record)[0]
    child = asset.job_name
    job = _parent_of(record, child)
    if job is None:
        return failed(f"The newest '{MODEL}' was not registered from a trial of the AutoML job of step 1: use the path "
                      f"azureml://jobs/<best child>/outputs/artifacts/paths/{OUTPUT}/.", found=asset.model_uri,
                      pt=f"O '{MODEL}' mais recente não foi registrado a partir de uma avaliação do job de AutoML do "
                         f"passo 1: use o caminho azureml://jobs/<melhor filho>/outputs/artifacts/paths/{OUTPUT}/.")
    scores = _scores(record, job["run_id"])
    top = max(scores.values())
    best = sorted(n for n, v in scores.items() if math.isclose(v, top, abs_tol=1e-12))
    if child not in best:
        return failed(f"The registered model must come from the trial with the highest {METRIC} (the job's "
                      "best_child_run_id).", expected=best, found=child,
                      pt=f"O modelo registrado precisa vir da avaliação com a maior {METRIC} (o best_child_run_id do "
                         "job).")
    if _mlmodel_id(asset.version.path) is None or _mlmodel_id(asset.version.path) != _child_model_id(record, child):
        return failed(f"The version's files are not {child}'s MLflow model: register the folder {OUTPUT}/ itself.",
                      found=asset.model_uri,
                      pt=f"Os arquivos da versão não são o modelo MLflow de {child}: registre a própria pasta "
                         f"{OUTPUT}/.")
    return passed(f"'{MODEL}' is the MLflow model of the best trial, {child}.",
                  pt=f"'{MODEL}' é o modelo MLflow da melhor avaliação, {child}.")
