"""Checks of lab 03 (train and register models).

Metrics and properties are compared with the model's real scores on the stated test split: the checks load
the pickled model from the run (or the registry) and score it themselves.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from labs import checklib
from labs.grading import failed, needs, passed

EXPERIMENT, MODEL, MODEL_FILE = "train-diabetes", "diabetes-model", "outputs/diabetes_model.pkl"
FIRST_RATE, SECOND_RATE = 0.1, 0.01
_scores: dict[tuple, dict] = {}


def _completed_runs(record):
    from sim.cloud.runs import state

    return [r for r in checklib.runs(record, EXPERIMENT)
            if r["run_type"] != state.INTERACTIVE and checklib.run_status(record, r["run_id"]) == "Completed"]


def _run_with_rate(record, rate):
    for run in _completed_runs(record):
        logged = checklib.scalar(checklib.metrics(record, run["run_id"]).get("reg_rate"))
        if checklib.near(logged, rate, 1e-9):
            return run
    return None


def _true_scores(record, run_id, path: Path | None = None) -> dict:
    """Accuracy and AUC of the run's (or the given) pickled model on the lab's test split (cached)."""
    key = (str(record.folder), run_id, str(path))
    if key not in _scores:
        from labs import data

        if path is None:
            with tempfile.TemporaryDirectory() as tmp:
                local = checklib.download(record, run_id, MODEL_FILE, Path(tmp) / "model.pkl")
                model = _load(local)
        else:
            model = _load(path)
        _scores[key] = data.score_model(model)
    return _scores[key]


def _load(path: Path):
    import joblib

    return joblib.load(path)


# -- training ----------------------------------------------------------------------------------------
def training_run_completed(record):
    runs = checklib.runs(record, EXPERIMENT)
    if not runs:
        return failed(f"The experiment '{EXPERIMENT}' has no runs yet. Submit train.py with a ScriptRunConfig.",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem execuções. Envie o train.py com um "
                      "ScriptRunConfig.")
    if not _completed_runs(record):
        status = checklib.run_status(record, runs[0]["run_id"])
        return failed("No script run of the experiment has completed; read the latest run's driver log "
                      "(run.get_details_with_logs()).", expected="Completed", found=status,
                      pt="Nenhuma execução de script do experimento foi concluída; leia o log do driver da execução "
                      "mais recente (run.get_details_with_logs()).")
    return passed("A training run completed.", pt="Uma execução de treinamento foi concluída.")


@needs("training_run_completed")
def reg_rate_from_argument(record):
    if _run_with_rate(record, FIRST_RATE) is None:
        logged = [checklib.scalar(checklib.metrics(record, r["run_id"]).get("reg_rate"))
                  for r in _completed_runs(record)]
        return failed("No completed run logged reg_rate 0.1: pass arguments=['--reg-rate', 0.1] to the "
                      "ScriptRunConfig and log the parsed value, not a constant.", expected=FIRST_RATE, found=logged,
                      pt="Nenhuma execução concluída registrou reg_rate 0.1: passe arguments=['--reg-rate', 0.1] ao "
                      "ScriptRunConfig e registre o valor lido do argumento, não uma constante.")
    return passed("The run trained with the regularization rate passed as an argument.",
                  pt="A execução treinou com a taxa de regularização passada como argumento.")


@needs("training_run_completed")
def model_file_in_outputs(record):
    run = _run_with_rate(record, FIRST_RATE)
    names = checklib.file_names(record, run["run_id"]) if run else []
    if MODEL_FILE not in names:
        return failed(f"The training run has no {MODEL_FILE}. Save the model with joblib.dump into the outputs "
                      "folder: files elsewhere are not kept with the run.",
                      found=[n for n in names if not n.startswith(("azureml-logs", "logs"))],
                      pt=f"A execução de treinamento não tem {MODEL_FILE}. Salve o modelo com joblib.dump na pasta "
                      "outputs: arquivos em outros lugares não ficam guardados com a execução.")
    return passed("The model file is kept with the run.", pt="O arquivo do modelo está guardado com a execução.")


@needs("training_run_completed")
def logged_metrics_match_model(record):
    run = _run_with_rate(record, FIRST_RATE)
    if run is None:
        return failed("There is no completed run with a saved model to compare its logged metrics with.",
                      pt="Não há nenhuma execução concluída com um modelo salvo para comparar com as métricas "
                      "registradas.")
    logged = checklib.metrics(record, run["run_id"])
    true = _true_scores(record, run["run_id"])
    found = {k: checklib.scalar(logged.get(k)) for k in ("accuracy", "auc")}
    if not all(checklib.near(found[k], true[k]) for k in found):
        return failed("The logged accuracy and auc are not what the saved model scores on the test split "
                      "(30%, random_state=0). Compute them on X_test/y_test from the model you save.",
                      expected={k: round(v, 4) for k, v in true.items()}, found=found,
                      pt="A accuracy e a auc registradas não são as que o modelo salvo obtém na divisão de teste "
                      "(30%, random_state=0). Calcule-as em X_test/y_test com o modelo que você salva.")
    return passed("The logged metrics are the model's real test scores.",
                  pt="As métricas registradas são os resultados reais do modelo no teste.")


# -- registration ------------------------------------------------------------------------------------
def _versions(record):
    return checklib.models(record, MODEL)


def _first_version(record):
    """The newest version registered from a run trained with reg_rate 0.1, else the newest version."""
    versions = _versions(record)
    for version in versions:
        if version.run_id:
            logged = checklib.metrics(record, version.run_id).get("reg_rate")
            if checklib.near(checklib.scalar(logged), FIRST_RATE, 1e-9):
                return version
    return versions[0] if versions else None


def model_registered(record):
    if not _versions(record):
        return failed(f"No model named '{MODEL}' is registered. Register it with run.register_model(...).",
                      pt=f"Nenhum modelo chamado '{MODEL}' está registrado. Registre-o com run.register_model(...).")
    return passed(f"'{MODEL}' is registered.", pt=f"'{MODEL}' está registrado.")


@needs("model_registered")
def model_from_training_run(record):
    version = _first_version(record)
    if version is None or not version.run_id:
        return failed("The model was registered from a local file, so it has no link to the run that trained it. "
                      "Register it with run.register_model(model_path='outputs/diabetes_model.pkl', ...).",
                      pt="O modelo foi registrado a partir de um arquivo local, então não tem ligação com a execução "
                      "que o treinou. Registre-o com run.register_model(model_path='outputs/diabetes_model.pkl', ...).")
    if version.experiment_name != EXPERIMENT or not checklib.near(
            checklib.scalar(checklib.metrics(record, version.run_id).get("reg_rate")), FIRST_RATE, 1e-9):
        return failed("The model was registered from the wrong run: use the train-diabetes run trained with "
                      "--reg-rate 0.1.", expected=EXPERIMENT, found=version.experiment_name,
                      pt="O modelo foi registrado a partir da execução errada: use a execução de train-diabetes "
                      "treinada com --reg-rate 0.1.")
    return passed("The model is registered from its training run.",
                  pt="O modelo está registrado a partir da execução que o treinou.")


@needs("model_registered")
def model_loads_and_predicts(record, data):
    version = _first_version(record)
    if version is None:
        return failed("There is no registered model to load and try.",
                      pt="Não há nenhum modelo registrado para carregar e testar.")
    try:
        model = checklib.load_model(version)
        predictions = model.predict(data.frame()[data.FEATURES].values[:20])
    except Exception as exc:  # noqa: BLE001 - any failure means the registered file is not a usable model
        return failed(f"The registered file does not load as a model that predicts ({type(exc).__name__}: {exc}).",
                      pt="O arquivo registrado não carrega como um modelo que faz previsões "
                      f"({type(exc).__name__}: {exc}).")
    if set(map(int, predictions)) - {0, 1}:
        return failed("The registered model predicts values other than 0 and 1.",
                      pt="O modelo registrado prevê valores diferentes de 0 e 1.")
    return passed("The registered model loads and predicts.", pt="O modelo registrado carrega e faz previsões.")


@needs("model_registered")
def model_properties_are_true(record):
    version = _first_version(record)
    if version is None:
        return failed("There is no registered model whose properties and tags could be checked.",
                      pt="Não há nenhum modelo registrado cujas propriedades e tags possam ser verificadas.")
    true = _true_scores(record, version.run_id, _model_path(version))
    try:
        found = {k: float(version.properties.get(k)) for k in ("accuracy", "auc")}
    except (TypeError, ValueError):
        return failed("The model needs the properties 'accuracy' and 'auc' (from run.get_metrics()).",
                      expected=["accuracy", "auc"], found=version.properties,
                      pt="O modelo precisa das propriedades 'accuracy' e 'auc' (tiradas de run.get_metrics()).")
    if not all(checklib.near(found[k], true[k]) for k in found):
        return failed("The model's properties do not match what the model really scores on the test split; take "
                      "them from run.get_metrics() instead of typing them.",
                      expected={k: round(v, 4) for k, v in true.items()}, found=found,
                      pt="As propriedades do modelo não conferem com o que o modelo realmente obtém na divisão de "
                      "teste; tire-as de run.get_metrics() em vez de digitá-las.")
    if version.tags.get("training_context") != "script":
        return failed("The model lacks the tag training_context = script.", expected="script",
                      found=version.tags.get("training_context"),
                      pt="O modelo não tem a tag training_context = script.")
    return passed("The properties and tag are right.", pt="As propriedades e a tag estão certas.")


def _model_path(version) -> Path:
    path = version.path
    return next(iter(path.rglob("*.pkl"))) if path.is_dir() else path


# -- second version ----------------------------------------------------------------------------------
def two_versions_registered(record):
    versions = _versions(record)
    if len(versions) < 2:
        return failed(f"'{MODEL}' has {len(versions)} version(s); register the second model under the same name "
                      "to get version 2.", expected=">= 2", found=len(versions),
                      pt=f"'{MODEL}' tem {len(versions)} versão(ões); registre o segundo modelo com o mesmo nome "
                      "para obter a versão 2.")
    return passed(f"'{MODEL}' has {len(versions)} versions.", pt=f"'{MODEL}' tem {len(versions)} versões.")


@needs("two_versions_registered")
def latest_version_is_reg_rate_001(record):
    versions = _versions(record)
    latest = versions[0] if versions else None
    rate = checklib.metrics(record, latest.run_id).get("reg_rate") if latest and latest.run_id else None
    if latest is None or not checklib.near(checklib.scalar(rate), SECOND_RATE, 1e-9):
        return failed("The newest version was not trained with --reg-rate 0.01 (checked on the run it was "
                      "registered from).", expected=SECOND_RATE, found=checklib.scalar(rate),
                      pt="A versão mais nova não foi treinada com --reg-rate 0.01 (verificado na execução a partir da "
                      "qual ela foi registrada).")
    if latest.tags.get("reg_rate") != "0.01":
        return failed("The newest version needs the tag reg_rate = 0.01.", expected="0.01",
                      found=latest.tags.get("reg_rate"),
                      pt="A versão mais nova precisa da tag reg_rate = 0.01.")
    return passed("The newest version is the reg_rate 0.01 model.",
                  pt="A versão mais nova é o modelo com reg_rate 0.01.")
