"""Checks of lab 12 (track training jobs with MLflow, SDK v2): command jobs the service ran, what their MLflow
runs logged compared with the scores the data really gives, and the champion tag set from the notebook."""

from __future__ import annotations

from labs import checklib, checklib_v2
from labs.grading import failed, needs, passed

EXPERIMENT, ASSET = "diabetes-mlflow", "diabetes-data"
LOGISTIC, TREE = "LogisticRegression", "DecisionTree"
FIRST_RATE, SECOND_RATE = 0.01, 0.1


# ---- what the service and MLflow hold ------------------------------------------------------------------

def _jobs(record, model_type: str) -> list[dict]:
    """The experiment's command jobs tagged with a model type, newest first."""
    return [j for j in checklib_v2.command_jobs(record)
            if j["experiment"] == EXPERIMENT and j["tags"].get("model_type") == model_type]


def _completed(record, model_type: str) -> list[dict]:
    return [j for j in _jobs(record, model_type) if j["status"] == "Completed"]


def _run(mlflow, job):
    """The MLflow run of a job (its id is the job's name), or None."""
    try:
        return mlflow.get_run(job["name"])
    except Exception:  # noqa: BLE001 - no run of that id
        return None


def _true_scores(data, reg_rate: float) -> dict:
    from sklearn.linear_model import LogisticRegression

    X_train, _, y_train, _ = data.split()
    return data.score_model(LogisticRegression(C=1 / reg_rate, solver="liblinear").fit(X_train, y_train))


def _logged(run) -> dict:
    return {"reg_rate": run.data.params.get("reg_rate"), "accuracy": run.data.metrics.get("accuracy"),
            "auc": run.data.metrics.get("auc")}


def _scores_match(run, data, reg_rate: float) -> bool:
    found = _logged(run)
    true = _true_scores(data, reg_rate)
    return checklib.near(found["reg_rate"], reg_rate, 1e-9) and checklib.near(found["accuracy"], true["accuracy"]) \
        and checklib.near(found["auc"], true["auc"])


def _input_value(job, name: str):
    spec = job["inputs"].get(name) or {}
    return spec.get("value", spec.get("uri"))


# ---- the tracked job -----------------------------------------------------------------------------------

def tracked_job_completed(record):
    jobs = _jobs(record, LOGISTIC)
    if not jobs:
        return failed(f"The experiment '{EXPERIMENT}' has no command job tagged model_type={LOGISTIC} yet.",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem job de comando com a tag model_type={LOGISTIC}.")
    if not _completed(record, LOGISTIC):
        return failed(f"No {LOGISTIC} job completed; read the latest one's log (ml_client.jobs.stream).",
                      expected="Completed", found=jobs[0]["status"],
                      pt=f"Nenhum job {LOGISTIC} foi concluído; leia o log do mais recente (ml_client.jobs.stream).")
    return passed(f"A {LOGISTIC} job completed.", pt=f"Um job {LOGISTIC} foi concluído.")


def _reads_asset(record, job) -> bool:
    named = checklib_v2.data_asset_named(_input_value(job, "training_data"))
    return named is not None and named[0] == ASSET and checklib_v2.data_asset(record, ASSET, named[1]) is not None


@needs("tracked_job_completed")
def tracked_job_read_the_asset(record):
    jobs = _completed(record, LOGISTIC)
    if not any(_reads_asset(record, j) for j in jobs):
        found = {j["name"]: j["inputs"].get("training_data") for j in jobs[:3]}
        return failed(f"No completed {LOGISTIC} job read the data asset '{ASSET}' through its input training_data: "
                      f"pass Input(type=AssetTypes.URI_FILE, path='azureml:{ASSET}:1').",
                      expected=f"azureml:{ASSET}:1", found=found or None,
                      pt=f"Nenhum job {LOGISTIC} concluído leu o ativo de dados '{ASSET}' pela entrada training_data: "
                         f"passe Input(type=AssetTypes.URI_FILE, path='azureml:{ASSET}:1').")
    return passed(f"The job read '{ASSET}' through an input.", pt=f"O job leu '{ASSET}' por uma entrada.")


def _runs_at_rate(record, mlflow, reg_rate: float) -> list:
    runs = [_run(mlflow, j) for j in _completed(record, LOGISTIC)]
    return [r for r in runs if r is not None and checklib.near(r.data.params.get("reg_rate"), reg_rate, 1e-9)]


@needs("tracked_job_completed")
def tracked_job_logged_true_scores(record, mlflow, data):
    runs = _runs_at_rate(record, mlflow, FIRST_RATE)
    if not any(_scores_match(r, data, FIRST_RATE) for r in runs):
        true = _true_scores(data, FIRST_RATE)
        return failed("No completed job's run logged the parameter reg_rate=0.01 with the accuracy and auc the model "
                      "really scores on the 30% test split (random_state=0).",
                      expected={"reg_rate": FIRST_RATE, **{k: round(v, 4) for k, v in true.items()}},
                      found=[_logged(r) for r in runs[:3]] or None,
                      pt="Nenhuma execução de job concluído registrou o parâmetro reg_rate=0.01 com a accuracy e a auc "
                         "que o modelo realmente obtém nos 30% de teste (random_state=0).")
    return passed("The run logged reg_rate and the model's real scores.",
                  pt="A execução registrou reg_rate e as pontuações reais do modelo.")


def _second_rate_jobs(record, experiment_only: bool = True) -> list[dict]:
    return [j for j in checklib_v2.command_jobs(record) if j["status"] == "Completed"
            and j["tags"].get("model_type") == LOGISTIC and (j["experiment"] == EXPERIMENT or not experiment_only)
            and checklib.near(_input_value(j, "reg_rate"), SECOND_RATE, 1e-9)]


def second_rate_logged(record, mlflow, data):
    runs = [r for r in (_run(mlflow, j) for j in _second_rate_jobs(record)) if r is not None]
    if any(_scores_match(r, data, SECOND_RATE) for r in runs):
        return passed("A second job tried reg_rate=0.1 through its input.",
                      pt="Um segundo job testou reg_rate=0.1 pela entrada.")
    elsewhere = sorted({j["experiment"] for j in _second_rate_jobs(record, experiment_only=False)} - {EXPERIMENT})
    if elsewhere:
        return failed(f"The job with reg_rate=0.1 ran in the experiment '{elsewhere[0]}', not '{EXPERIMENT}': the copy "
                      "that job(reg_rate=0.1) returns does not keep experiment_name, so set it before submitting.",
                      expected=EXPERIMENT, found=elsewhere,
                      pt=f"O job com reg_rate=0.1 rodou no experimento '{elsewhere[0]}', não em '{EXPERIMENT}': a "
                         "cópia que job(reg_rate=0.1) devolve não mantém experiment_name, então defina-o antes de "
                         "enviar.")
    return failed("No completed job ran with the input reg_rate=0.1 and logged its real scores: submit "
                  "job(reg_rate=0.1) and follow it to the end.", expected={"inputs.reg_rate": SECOND_RATE},
                  found=[_logged(r) for r in runs[:3]] or None,
                  pt="Nenhum job concluído rodou com a entrada reg_rate=0.1 e registrou as pontuações reais dela: "
                     "envie job(reg_rate=0.1) e acompanhe-o até o fim.")


# ---- autolog -------------------------------------------------------------------------------------------

def autolog_job_completed(record):
    jobs = _jobs(record, TREE)
    if not jobs or not _completed(record, TREE):
        return failed(f"No job tagged model_type={TREE} has completed in '{EXPERIMENT}'.", expected="Completed",
                      found=jobs[0]["status"] if jobs else None,
                      pt=f"Nenhum job com a tag model_type={TREE} foi concluído em '{EXPERIMENT}'.")
    return passed(f"The {TREE} job completed.", pt=f"O job {TREE} foi concluído.")


@needs("autolog_job_completed")
def autolog_recorded_the_tree(record, mlflow):
    runs = [r for r in (_run(mlflow, j) for j in _completed(record, TREE)) if r is not None]
    good = [r for r in runs if r.data.params.get("max_depth") == "5" and "training_accuracy_score" in r.data.metrics]
    if not good:
        found = [{"max_depth": r.data.params.get("max_depth"), "metrics": sorted(r.data.metrics)} for r in runs[:3]]
        return failed("The tree's run has no autologged max_depth=5 and training_accuracy_score: call "
                      "mlflow.autolog() before fitting DecisionTreeClassifier(max_depth=5).",
                      expected={"max_depth": "5", "metrics": ["training_accuracy_score", "..."]}, found=found or None,
                      pt="A execução da árvore não tem max_depth=5 e training_accuracy_score registrados pelo autolog: "
                         "chame mlflow.autolog() antes de ajustar DecisionTreeClassifier(max_depth=5).")
    return passed("Autolog recorded the tree's parameters and training metrics.",
                  pt="O autolog registrou os parâmetros e as métricas de treinamento da árvore.")


# ---- the champion --------------------------------------------------------------------------------------

def _experiment_runs(mlflow) -> list:
    experiment = mlflow.get_experiment_by_name(EXPERIMENT)
    return mlflow.search_runs([experiment.experiment_id]) if experiment else []


def _champions(mlflow) -> list:
    return [r for r in _experiment_runs(mlflow) if r.data.tags.get("champion") == "true"]


def champion_tagged(mlflow):
    if not _champions(mlflow):
        return failed(f"No run of '{EXPERIMENT}' carries the tag champion=true yet.",
                      pt=f"Nenhuma execução de '{EXPERIMENT}' tem a tag champion=true ainda.")
    return passed("A run is tagged champion.", pt="Uma execução tem a tag champion.")


@needs("champion_tagged")
def champion_is_best_logistic_run(mlflow):
    logistic = [r for r in _experiment_runs(mlflow) if r.data.tags.get("model_type") == LOGISTIC
                and "accuracy" in r.data.metrics]
    best = max((r.data.metrics["accuracy"] for r in logistic), default=None)
    champions = _champions(mlflow)
    wrong = [r.info.run_id for r in champions if r.data.tags.get("model_type") != LOGISTIC
             or not checklib.near(r.data.metrics.get("accuracy"), best, 1e-9)]
    if best is None or not champions or wrong:
        return failed(f"The champion must be the {LOGISTIC} run with the highest accuracy; filter on "
                      "tags.model_type and order by metrics.accuracy DESC.", expected={"accuracy": best},
                      found={r.info.run_id: {"model_type": r.data.tags.get("model_type"),
                                             "accuracy": r.data.metrics.get("accuracy")} for r in champions} or None,
                      pt=f"A campeã precisa ser a execução {LOGISTIC} com a maior accuracy; filtre por "
                         "tags.model_type e ordene por metrics.accuracy DESC.")
    return passed(f"The champion is the most accurate {LOGISTIC} run.",
                  pt=f"A campeã é a execução {LOGISTIC} mais precisa.")
