"""Checks of lab 17 (score data in bulk with a batch endpoint, SDK v2): the service's batch endpoint and deployment,
the data asset, the batch jobs it ran and the predictions file they wrote, compared row by row with the input files
and with what the deployment's registered model predicts for them; and the copy downloaded into the lab folder."""

from __future__ import annotations

from pathlib import Path

from labs.grading import failed, needs, passed

MODEL = "diabetes-mlflow:1"
DEPLOYMENT = "classifier-diabetes"
DATA_ASSET = "patient-data-unlabeled"
SETTINGS = {"model": MODEL, "compute": "aml-cluster", "scoring_script": None, "instance_count": 2,
            "max_concurrency_per_instance": 2, "mini_batch_size": 2, "output_action": "append_row",
            "output_file_name": "predictions.csv"}
COLUMNS = ["row", "prediction", "file"]


def params(rng):
    """This attempt's batch endpoint name (endpoint names are unique in a region)."""
    return {"endpoint": f"diabetes-batch-{rng.randrange(16 ** 5):05x}"}


# ---- what the service holds ----------------------------------------------------------------------------

def _endpoint(record, name: str) -> dict | None:
    from sim.cloud.endpoints import batch

    return batch.find_endpoint(record, name)


def _deployment(record, endpoint: str) -> dict | None:
    from sim.cloud.endpoints import batch

    return batch.find_deployment(record, endpoint, DEPLOYMENT) if _endpoint(record, endpoint) else None


def _model_ref(model_id) -> str | None:
    """`<name>:<version>` of a model id (ARM id or azureml:<name>:<version>)."""
    text = str(model_id or "")
    if "/models/" in text:
        name, _, version = text.rstrip("/").split("/models/", 1)[1].partition("/versions/")
        return f"{name}:{version}"
    return text.removeprefix("azureml:") or None


def _settings(deployment: dict) -> dict:
    return {key: _model_ref(deployment.get(key)) if key == "model" else deployment.get(key) for key in SETTINGS}


def _batch_jobs(record, endpoint: str) -> list[dict]:
    """The pipeline jobs the endpoint started (their tags name it), newest first, moved on to their state."""
    from sim.cloud import pipelines

    rows = [r for r in pipelines.list_jobs(record)
            if ((r.get("definition") or {}).get("tags") or {}).get("azureml.endpoint") == endpoint]
    return [pipelines.get(record, r["run_id"]) for r in rows]


def _completed_job(record, endpoint: str) -> dict | None:
    return next((r for r in _batch_jobs(record, endpoint) if r["status"] == "Completed"), None)


def _argument(job: dict, flag: str) -> str | None:
    arguments = ((job["definition"].get("steps") or [{}])[0]).get("arguments") or []
    return next((arguments[i + 1] for i, a in enumerate(arguments[:-1]) if a == flag), None)


def _job_files(job: dict) -> tuple[Path | None, Path | None]:
    """(the input folder the job scored, the results file it wrote)."""
    folder, output = _argument(job, "--input_folder"), _argument(job, "--output")
    name = _argument(job, "--append_row_file_name") or "predictions.csv"
    return (Path(folder) if folder else None), (Path(output) / name if output else None)


def _inputs(folder: Path):
    """{(file name, row): features} of every CSV file of the folder, as one DataFrame indexed by (file, row)."""
    import pandas as pd

    frames = [pd.read_csv(p).assign(file=p.name, row=lambda f: range(len(f))) for p in sorted(folder.glob("*.csv"))]
    return pd.concat(frames).set_index(["file", "row"]) if frames else pd.DataFrame()


def _results(path: Path):
    """The results file as a DataFrame (file, row) -> prediction, or None when it is missing or not in that shape."""
    import pandas as pd

    if path is None or not path.is_file():
        return None
    try:
        frame = pd.read_csv(path, names=COLUMNS, header=None)
        return frame.astype({"row": int}).set_index(["file", "row"])["prediction"]
    except (ValueError, KeyError, pd.errors.ParserError):
        return None


def _scored(record, params) -> tuple[object, object]:
    """(input rows, predictions) of the endpoint's newest completed batch job (None for what is missing)."""
    job = _completed_job(record, params["endpoint"])
    if job is None:
        return None, None
    folder, output = _job_files(job)
    return (_inputs(folder) if folder and folder.is_dir() else None), _results(output)


# ---- step 1: the endpoint -------------------------------------------------------------------------------

def batch_endpoint_created(record, params):
    name = params["endpoint"]
    if _endpoint(record, name) is None:
        return failed(f"There is no batch endpoint named '{name}' in the workspace yet.",
                      hint="ml_client.batch_endpoints.begin_create_or_update(BatchEndpoint(name=...)).result()",
                      pt=f"Ainda não existe endpoint em lote chamado '{name}' no workspace.")
    return passed(f"The batch endpoint '{name}' exists.", pt=f"O endpoint em lote '{name}' existe.")


# ---- step 2: the deployment -----------------------------------------------------------------------------

def deployment_settings(record, params):
    deployment = _deployment(record, params["endpoint"])
    if deployment is None:
        return failed(f"The endpoint has no deployment named '{DEPLOYMENT}' yet.", expected=SETTINGS,
                      pt=f"O endpoint ainda não tem implantação chamada '{DEPLOYMENT}'.")
    found = _settings(deployment)
    if found != SETTINGS:
        wrong = sorted(k for k in SETTINGS if found[k] != SETTINGS[k])
        return failed(f"'{DEPLOYMENT}' differs from what the lab asks in: {', '.join(wrong)}.",
                      expected={k: SETTINGS[k] for k in wrong}, found={k: found[k] for k in wrong},
                      pt=f"'{DEPLOYMENT}' difere do que o laboratório pede em: {', '.join(wrong)}.")
    return passed(f"'{DEPLOYMENT}' scores with {MODEL} on aml-cluster: 2 nodes x 2 processes, 2 files per "
                  "mini-batch, rows appended to predictions.csv.",
                  pt=f"'{DEPLOYMENT}' pontua com {MODEL} no aml-cluster: 2 nós x 2 processos, 2 arquivos por "
                     "minilote, linhas acrescentadas a predictions.csv.")


def deployment_is_default(record, params):
    endpoint = _endpoint(record, params["endpoint"])
    default = ((endpoint or {}).get("defaults") or {}).get("deploymentName")
    if default != DEPLOYMENT or _deployment(record, params["endpoint"]) is None:
        return failed(f"A call that names no deployment would not run '{DEPLOYMENT}': it is not the endpoint's "
                      "default deployment.", expected=DEPLOYMENT, found=default,
                      pt=f"Uma chamada que não nomeia implantação não executaria '{DEPLOYMENT}': ela não é a "
                         "implantação padrão do endpoint.")
    return passed(f"'{DEPLOYMENT}' is the endpoint's default deployment.",
                  pt=f"'{DEPLOYMENT}' é a implantação padrão do endpoint.")


# ---- step 3: the batch job and its predictions ----------------------------------------------------------

def patient_data_registered(record):
    from sim.cloud import data_assets

    found = [a.data_type for a in data_assets.versions(record, DATA_ASSET)] if data_assets.container_type(
        record, DATA_ASSET) else []
    if "uri_folder" not in found:
        return failed(f"No version of a uri_folder data asset named '{DATA_ASSET}' is registered.",
                      expected="uri_folder", found=found or None,
                      pt=f"Nenhuma versão de um ativo de dados uri_folder chamado '{DATA_ASSET}' está registrada.")
    return passed(f"'{DATA_ASSET}' is registered as a uri_folder.",
                  pt=f"'{DATA_ASSET}' está registrado como uri_folder.")


def batch_job_completed(record, params):
    found = _batch_jobs(record, params["endpoint"])
    if not found:
        return failed(f"The endpoint '{params['endpoint']}' has not run any batch job yet.",
                      hint="ml_client.batch_endpoints.invoke(endpoint_name=..., input=Input(...))",
                      pt=f"O endpoint '{params['endpoint']}' ainda não executou nenhum job em lote.")
    if _completed_job(record, params["endpoint"]) is None:
        return failed("No batch job of the endpoint completed; open its batchscoring step and read "
                      "logs/user/error.txt.", expected="Completed", found=found[0]["status"],
                      pt="Nenhum job em lote do endpoint foi concluído; abra a etapa batchscoring dele e leia "
                         "logs/user/error.txt.")
    return passed("A batch job of the endpoint completed.", pt="Um job em lote do endpoint foi concluído.")


@needs("batch_job_completed")
def predictions_cover_every_row(record, params):
    inputs, results = _scored(record, params)
    if inputs is None or results is None:
        return failed("The completed batch job left no predictions file of rows (row, prediction, file).",
                      pt="O job em lote concluído não deixou arquivo de previsões com linhas (row, prediction, file).")
    missing, extra = set(inputs.index) - set(results.index), set(results.index) - set(inputs.index)
    if missing or extra or len(results) != len(inputs):
        return failed(f"The predictions do not match the input rows one to one: {len(inputs)} input rows, "
                      f"{len(results)} predictions.", expected=len(inputs), found=len(results),
                      pt=f"As previsões não correspondem uma a uma às linhas de entrada: {len(inputs)} linhas de "
                         f"entrada, {len(results)} previsões.")
    files = inputs.index.get_level_values("file").nunique()
    return passed(f"Every one of the {len(inputs)} rows of the {files} input files has one prediction.",
                  pt=f"Cada uma das {len(inputs)} linhas dos {files} arquivos de entrada tem uma previsão.")


def _model_predictions(record, job: dict, inputs):
    """What the registered model of the deployment the job ran predicts for the input rows, or None."""
    import mlflow.pyfunc
    import pandas as pd

    from sim.cloud.endpoints import batch
    from sim.cloud.models import assets

    endpoint, name = (job["definition"].get("tags") or {}).get("azureml.endpoint"), \
        (job["definition"].get("tags") or {}).get("azureml.deployment")
    deployment = batch.find_deployment(record, endpoint, name) if endpoint and name else None
    model, _, version = str(_model_ref((deployment or {}).get("model")) or "").rpartition(":")
    found = assets.find(record, model, version) if model and version.isdigit() else None
    if found is None:
        return None
    loaded = mlflow.pyfunc.load_model(str(found.version.path), suppress_warnings=True)
    return pd.Series(list(loaded.predict(inputs.astype(float))), index=inputs.index)


@needs("predictions_cover_every_row")
def predictions_match_the_model(record, params):
    inputs, results = _scored(record, params)
    if inputs is None or results is None:
        return failed("With no predictions from a completed batch job, there is nothing to compare with the model.",
                      pt="Sem previsões de um job em lote concluído, não há o que comparar com o modelo.")
    expected = _model_predictions(record, _completed_job(record, params["endpoint"]), inputs)
    if expected is None:
        return failed("The deployment that ran the batch job, or its registered model, is gone, so its predictions "
                      "cannot be compared.", pt="A implantação que executou o job em lote, ou o modelo registrado "
                                                "dela, não existe mais, então as previsões não podem ser comparadas.")
    differ = [key for key in inputs.index if int(results[key]) != int(expected[key])]
    if differ:
        return failed(f"{len(differ)} of the {len(inputs)} predictions differ from what the registered model "
                      "predicts for the same rows.", expected=[int(expected[k]) for k in differ[:5]],
                      found=[int(results[k]) for k in differ[:5]],
                      pt=f"{len(differ)} das {len(inputs)} previsões diferem do que o modelo registrado prevê para "
                         "as mesmas linhas.")
    return passed(f"All {len(inputs)} predictions are what {MODEL} predicts for those patients.",
                  pt=f"As {len(inputs)} previsões são o que {MODEL} prevê para esses pacientes.")


@needs("batch_job_completed")
def predictions_downloaded(record, params, folder):
    _, results = _scored(record, params)
    copies = [p for p in Path(folder).rglob("predictions.csv") if "patient-data" not in p.parts]
    if not copies:
        return failed("There is no predictions.csv in the lab folder: download the job's score output.",
                      hint='ml_client.jobs.download(name=job.name, download_path="results", output_name="score")',
                      pt="Não há predictions.csv na pasta do laboratório: baixe a saída score do job.")
    if results is None or not any(_same(_results(p), results) for p in copies):
        return failed("The predictions.csv in the lab folder is not the one the completed batch job wrote.",
                      found=[str(p.relative_to(folder)) for p in copies],
                      pt="O predictions.csv da pasta do laboratório não é o que o job em lote concluído escreveu.")
    return passed("The job's predictions.csv is downloaded into the lab folder.",
                  pt="O predictions.csv do job foi baixado para a pasta do laboratório.")


def _same(local, remote) -> bool:
    return local is not None and local.sort_index().equals(remote.sort_index())
