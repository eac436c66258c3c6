"""Checks of lab 13 (log and register models with MLflow, SDK v2): the MLflow models the service finds at the jobs'
`model` output (flavors, signature), the registered versions of `diabetes-mlflow` (which job's model each holds, its
signature, tags and description) and what the registered files really predict."""

from __future__ import annotations

import json

from labs import checklib, checklib_v2
from labs.grading import failed, needs, passed

EXPERIMENT, MODEL, OUTPUT = "diabetes-models", "diabetes-mlflow", "model"
REG_RATE = 0.01
AUTOLOG_TAG = "mlflow.autologging"  # MLflow tags the run of a script that called mlflow.autolog()
LOG_MODEL, AUTOLOG = "log_model", "autolog"  # the `training` tag each version should carry


# ---- jobs and what they logged -------------------------------------------------------------------------

def _autologged(mlflow, job) -> bool:
    try:
        return AUTOLOG_TAG in mlflow.get_run(job["name"]).data.tags
    except Exception:  # noqa: BLE001 - no run yet: not an autolog job as far as anyone can tell
        return False


def _jobs(record, mlflow, autologged: bool) -> list[dict]:
    """The experiment's command jobs, newest first, that did (or did not) turn autolog on."""
    return [j for j in checklib_v2.command_jobs(record)
            if j["experiment"] == EXPERIMENT and _autologged(mlflow, j) == autologged]


def _completed(jobs: list[dict]) -> list[dict]:
    return [j for j in jobs if j["status"] == "Completed"]


def _model_folder(record, job_name: str):
    """The MLflow model folder the service finds at a job's `model` output (what registering it would copy)."""
    from sim.cloud.models import sources

    try:
        folder = sources.resolve(record, f"azureml://jobs/{job_name}/outputs/artifacts/paths/{OUTPUT}/").path
    except Exception:  # noqa: BLE001 - the service's error: the job has no such output
        return None
    return folder if (folder / "MLmodel").is_file() else None


def _mlmodel(folder) -> dict:
    """The parsed MLmodel file of a model folder ({} when there is none)."""
    import yaml

    if folder is None:
        return {}
    try:
        return yaml.safe_load((folder / "MLmodel").read_text()) or {}
    except (OSError, yaml.YAMLError):
        return {}


def _signature_inputs(mlmodel: dict) -> list[dict] | None:
    """The input specs of an MLmodel's signature (column or tensor specs), or None when it has none."""
    text = (mlmodel.get("signature") or {}).get("inputs")
    try:
        specs = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return None
    return specs or None


def _columns(mlmodel: dict) -> list[str] | None:
    """The input column names of a column-based signature; None when there is no signature or it is a tensor."""
    specs = _signature_inputs(mlmodel)
    if not specs or any(s.get("type") == "tensor" or not s.get("name") for s in specs):
        return None
    return [s["name"] for s in specs]


def _logged_models(record, jobs: list[dict]) -> list[tuple[dict, dict]]:
    """(job, its MLmodel) of each completed job that logged an MLflow model named `model`."""
    found = [(j, _mlmodel(_model_folder(record, j["name"]))) for j in _completed(jobs)]
    return [(j, m) for j, m in found if m]


def _describe_signature(mlmodel: dict):
    specs = _signature_inputs(mlmodel)
    if specs is None:
        return None
    return _columns(mlmodel) or [s.get("tensor-spec") or s for s in specs]


# ---- step 1: log_model with a signature ----------------------------------------------------------------

def signature_job_completed(record, mlflow):
    jobs = _jobs(record, mlflow, autologged=False)
    if not jobs:
        return failed(f"The experiment '{EXPERIMENT}' has no command job that logs the model itself yet (a job "
                      "whose script does not call mlflow.autolog()).",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem job de comando que faça o log do modelo por "
                         "conta própria (um job cujo script não chama mlflow.autolog()).")
    if not _completed(jobs):
        return failed("The train-signature job has not completed; read its log with ml_client.jobs.stream.",
                      expected="Completed", found=jobs[0]["status"],
                      pt="O job train-signature não foi concluído; leia o log dele com ml_client.jobs.stream.")
    return passed("The train-signature job completed.", pt="O job train-signature foi concluído.")


@needs("signature_job_completed")
def signature_job_logged_model(record, mlflow):
    logged = _logged_models(record, _jobs(record, mlflow, autologged=False))
    with_sklearn = [(j, m) for j, m in logged if "sklearn" in (m.get("flavors") or {})]
    if not with_sklearn:
        return failed(f"No completed job of '{EXPERIMENT}' logged an MLflow model named '{OUTPUT}' with the sklearn "
                      f"flavor: call mlflow.sklearn.log_model(model, name='{OUTPUT}', signature=signature) in the "
                      "script.", expected={"flavors": ["python_function", "sklearn"]},
                      found={j["name"]: sorted(m.get("flavors") or {}) for j, m in logged[:3]} or None,
                      pt=f"Nenhum job concluído de '{EXPERIMENT}' fez o log de um modelo MLflow chamado '{OUTPUT}' "
                         f"com o flavor sklearn: chame mlflow.sklearn.log_model(model, name='{OUTPUT}', "
                         "signature=signature) no script.")
    return passed("The job logged an MLflow model with the sklearn and python_function flavors.",
                  pt="O job fez o log de um modelo MLflow com os flavors sklearn e python_function.")


@needs("signature_job_logged_model")
def signature_names_the_features(record, mlflow, data):
    logged = _logged_models(record, _jobs(record, mlflow, autologged=False))
    if not any(sorted(_columns(m) or []) == sorted(data.FEATURES) for _, m in logged):
        return failed("The logged model's signature does not name the eight feature columns. Infer it from the "
                      "training DataFrame, infer_signature(X_train, model.predict(X_train)), not from .values "
                      "(a tensor has no column names).", expected=list(data.FEATURES),
                      found={j["name"]: _describe_signature(m) for j, m in logged[:3]} or None,
                      pt="A assinatura do modelo não dá nome às oito colunas de atributos. Infira-a do DataFrame de "
                         "treinamento, infer_signature(X_train, model.predict(X_train)), não de .values (um tensor não "
                         "tem nomes de colunas).")
    return passed("Its signature names the eight feature columns.",
                  pt="A assinatura dele dá nome às oito colunas de atributos.")


# ---- step 2: autolog -----------------------------------------------------------------------------------

def autolog_job_completed(record, mlflow):
    jobs = _jobs(record, mlflow, autologged=True)
    if not _completed(jobs):
        return failed(f"No job of '{EXPERIMENT}' that called mlflow.autolog() has completed.", expected="Completed",
                      found=jobs[0]["status"] if jobs else None,
                      pt=f"Nenhum job de '{EXPERIMENT}' que chamou mlflow.autolog() foi concluído.")
    return passed("The train-autolog job completed.", pt="O job train-autolog foi concluído.")


def _autolog_evidence(mlflow, job, mlmodel) -> dict:
    params = mlflow.get_run(job["name"]).data.params
    return {"C": params.get("C"), "solver": params.get("solver"), "model": sorted(mlmodel.get("flavors") or {})}


@needs("autolog_job_completed")
def autolog_logged_params_and_model(record, mlflow):
    logged = _logged_models(record, _jobs(record, mlflow, autologged=True))
    found = [_autolog_evidence(mlflow, j, m) for j, m in logged]
    expected = {"C": str(1 / REG_RATE), "solver": "liblinear"}
    if not any(checklib.near(f["C"], 1 / REG_RATE, 1e-6) and f["solver"] == "liblinear" and "sklearn" in f["model"]
               for f in found):
        return failed("Autolog did not record both the LogisticRegression(C=100, solver='liblinear') parameters and "
                      f"the model '{OUTPUT}': call mlflow.autolog() before fit and train with reg_rate 0.01.",
                      expected={**expected, "model": ["python_function", "sklearn"]}, found=found[:3] or None,
                      pt="O autolog não registrou ao mesmo tempo os parâmetros de LogisticRegression(C=100, "
                         f"solver='liblinear') e o modelo '{OUTPUT}': chame mlflow.autolog() antes do fit e treine "
                         "com reg_rate 0.01.")
    return passed("Autolog recorded the estimator's parameters and its model.",
                  pt="O autolog registrou os parâmetros do estimador e o modelo dele.")


# ---- the registry --------------------------------------------------------------------------------------

def _versions(record) -> list:
    """Every active version of the model (sim.cloud.models.assets.ModelAsset), newest first."""
    from sim.cloud.models import assets

    try:
        return assets.list_versions(record, MODEL)
    except Exception:  # noqa: BLE001 - no such model
        return []


def _same_logged_model(record, asset, job_name: str) -> bool:
    """True when the version's files are the MLflow model the job logged (the same MLflow model id)."""
    registered = _mlmodel(asset.version.path)
    logged = _mlmodel(_model_folder(record, job_name))
    return bool(registered.get("model_uuid")) and registered.get("model_uuid") == logged.get("model_uuid")


def _versions_from(record, mlflow, autologged: bool) -> list:
    """The MLflow-model versions registered from a completed job of that kind, holding that job's model."""
    jobs = {j["name"] for j in _completed(_jobs(record, mlflow, autologged))}
    return [a for a in _versions(record) if a.model_type == "mlflow_model" and a.job_name in jobs
            and _same_logged_model(record, a, a.job_name)]


def _summary(asset) -> dict:
    return {"version": asset.version.version, "type": asset.model_type, "job": asset.job_name,
            "path": asset.model_uri}


def model_registered(record):
    versions = _versions(record)
    if not versions:
        return failed(f"No model named '{MODEL}' is registered yet.",
                      pt=f"Nenhum modelo chamado '{MODEL}' está registrado ainda.")
    if not any(a.model_type == "mlflow_model" for a in versions):
        return failed(f"'{MODEL}' is registered, but not as an MLflow model: pass type=AssetTypes.MLFLOW_MODEL.",
                      expected="mlflow_model", found=versions[0].model_type,
                      pt=f"'{MODEL}' está registrado, mas não como modelo MLflow: passe type=AssetTypes.MLFLOW_MODEL.")
    return passed(f"'{MODEL}' is registered as an MLflow model.", pt=f"'{MODEL}' está registrado como modelo MLflow.")


@needs("model_registered")
def model_from_signature_job(record, mlflow):
    if not _versions_from(record, mlflow, autologged=False):
        return failed(f"No version of '{MODEL}' holds the model of the train-signature job: register "
                      f"azureml://jobs/<that job's name>/outputs/artifacts/paths/{OUTPUT}/.",
                      expected=f"azureml://jobs/<job>/outputs/artifacts/paths/{OUTPUT}/",
                      found=[_summary(a) for a in _versions(record)[:3]] or None,
                      pt=f"Nenhuma versão de '{MODEL}' contém o modelo do job train-signature: registre "
                         f"azureml://jobs/<nome desse job>/outputs/artifacts/paths/{OUTPUT}/.")
    return passed("A version holds the model the train-signature job logged.",
                  pt="Uma versão contém o modelo de que o job train-signature fez o log.")


@needs("model_registered")
def model_signature_inputs(record, mlflow, data):
    versions = _versions_from(record, mlflow, autologged=False)
    signed = [a for a in versions if sorted(_columns(_mlmodel(a.version.path)) or []) == sorted(data.FEATURES)]
    if not signed:
        return failed("The registered version's MLmodel has no signature naming the eight feature columns.",
                      expected=list(data.FEATURES),
                      found={a.version.version: _describe_signature(_mlmodel(a.version.path)) for a in versions[:3]}
                      or None,
                      pt="O MLmodel da versão registrada não tem assinatura com as oito colunas de atributos.")
    return passed("The registered MLmodel's signature names the eight features.",
                  pt="A assinatura do MLmodel registrado dá nome aos oito atributos.")


def _test_split(data):
    from sklearn.model_selection import train_test_split

    frame = data.frame()
    return train_test_split(frame[data.FEATURES], frame[data.LABEL], test_size=data.TEST_SIZE,
                            random_state=data.SPLIT_RANDOM_STATE)


def _scores(asset, data, reference) -> dict | None:
    """Accuracy of the registered files on the test split, and how often they agree with `reference`."""
    import mlflow.pyfunc
    import numpy as np

    _, X_test, _, y_test = _test_split(data)
    try:
        predicted = mlflow.pyfunc.load_model(str(asset.version.path), suppress_warnings=True).predict(X_test)
    except Exception as exc:  # noqa: BLE001 - the files do not load or do not predict: said in the message
        return {"error": f"{type(exc).__name__}: {exc}"}
    predicted = np.asarray(predicted).astype(int)
    return {"accuracy": float((predicted == y_test.to_numpy()).mean()),
            "agreement": float((predicted == reference.predict(X_test.to_numpy())).mean())}


def _reference(data):
    """The logistic regression the scripts train (reg_rate 0.01), fitted here on the same split."""
    from sklearn.linear_model import LogisticRegression

    X_train, _, y_train, _ = data.split()
    return LogisticRegression(C=1 / REG_RATE, solver="liblinear").fit(X_train, y_train)


@needs("model_registered")
def model_scores_data(record, mlflow, data):
    versions = _versions_from(record, mlflow, autologged=False)[:2]
    reference = _reference(data) if versions else None
    true = data.score_model(reference)["accuracy"] if reference else None
    found = [_scores(a, data, reference) for a in versions]
    if not any(f and "accuracy" in f and checklib.near(f["accuracy"], true) and f["agreement"] >= 0.99
               for f in found):
        return failed("Loaded with mlflow.pyfunc, the registered model does not predict the test patients as the "
                      "logistic regression (reg_rate 0.01) does.",
                      expected={"accuracy": round(true, 4)} if true else None,
                      found=found or None,
                      pt="Carregado com mlflow.pyfunc, o modelo registrado não prevê os pacientes de teste como a "
                         "regressão logística (reg_rate 0.01) prevê.")
    return passed(f"The registered model loads with mlflow.pyfunc and scores {true:.3f} accuracy on the test split.",
                  pt=f"O modelo registrado carrega com mlflow.pyfunc e obtém accuracy {true:.3f} na parte de teste.")


# ---- step 4: a second version --------------------------------------------------------------------------

def autolog_version_registered(record, mlflow):
    if not _versions_from(record, mlflow, autologged=True):
        return failed(f"No version of '{MODEL}' holds the model of the train-autolog job yet.",
                      found=[_summary(a) for a in _versions(record)[:3]] or None,
                      pt=f"Nenhuma versão de '{MODEL}' contém o modelo do job train-autolog ainda.")
    return passed("Another version holds the autolog job's model.",
                  pt="Outra versão contém o modelo do job com autolog.")


def _labelled(versions: list, training: str) -> bool:
    return any(a.version.tags.get("training") == training and (a.version.description or "").strip()
               for a in versions)


@needs("autolog_version_registered")
def versions_described_and_tagged(record, mlflow):
    manual, auto = _versions_from(record, mlflow, False), _versions_from(record, mlflow, True)
    if not (_labelled(manual, LOG_MODEL) and _labelled(auto, AUTOLOG)):
        found = {a.version.version: {"tags": a.version.tags, "description": a.version.description}
                 for a in (manual + auto)[:4]}
        return failed("Each version should say how it was logged: a description, and the tag training=log_model on "
                      "the train-signature job's version and training=autolog on the train-autolog job's.",
                      expected={"train-signature": {"training": LOG_MODEL}, "train-autolog": {"training": AUTOLOG}},
                      found=found or None,
                      pt="Cada versão deve dizer como foi registrada em log: uma descrição, e a tag training=log_model "
                         "na versão do job train-signature e training=autolog na do job train-autolog.")
    return passed("Both versions carry a description and a training tag.",
                  pt="As duas versões têm descrição e a tag training.")
