"""Checks of lab 24 (explain a model, SDK v1 with azureml-interpret): the training run as the service recorded it
(its model in outputs/, its logged accuracy against what that model really scores), the explanations kept on the
run, and the registered model they explain.

The uploaded numbers are never taken on trust: the top features are recomputed from the registered model with a
fresh explainer on the stated test split, and the local explanation must add up to the probabilities that model
gives the two patients it names. The two most important features must match in order; the third may be the
recomputed fourth, because for this data the third and fourth are close and an explanation over the training rows
(which the step allows) can swap them.
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

from labs import checklib
from labs.grading import failed, needs, passed

EXPERIMENT, MODEL, MODEL_FILE = "mslearn-diabetes-explain", "diabetes-explained", "outputs/diabetes.pkl"
GLOBAL_COMMENT, LOCAL_COMMENT = "Tabular Explanation", "Local explanation: first two test patients"
CLASSES = ["not-diabetic", "diabetic"]
TOP = 3
TOLERANCE = 1e-3  # contributions + expected value vs the model's probability (exact Shapley values add up)


# ---- what the service holds ----------------------------------------------------------------------------

def _completed_runs(record) -> list[dict]:
    """The experiment's completed script runs, newest first."""
    from sim.cloud.runs import state

    return [r for r in checklib.runs(record, EXPERIMENT)
            if r["run_type"] != state.INTERACTIVE and checklib.run_status(record, r["run_id"]) == "Completed"]


def _explanations(record, run_id: str, kind: str) -> list[dict]:
    """The run's explanations of one kind ('global' or 'local'), newest first: {id, comment, data}."""
    from sim.cloud.runs import assessments

    found = []
    for item in reversed(assessments.listing(record, run_id, assessments.EXPLANATION)):
        if item.get("type") == kind:
            data = assessments.load(record, run_id, assessments.EXPLANATION, item["id"])
            found.append({"id": item["id"], "comment": item.get("comment"), "data": data})
    return found


def _global(record, run_id: str) -> dict | None:
    """The run's newest global explanation with the lab's comment (its stored document), or None."""
    return next((e["data"] for e in _explanations(record, run_id, "global") if e["comment"] == GLOBAL_COMMENT), None)


def _explained_run(record) -> dict | None:
    """The newest completed run that holds the lab's global explanation."""
    return next((r for r in _completed_runs(record) if _global(record, r["run_id"])), None)


def _run_model(record, run_id: str):
    with tempfile.TemporaryDirectory() as tmp:
        return _load(checklib.download(record, run_id, MODEL_FILE, Path(tmp) / "diabetes.pkl"))


def _load(path: Path):
    import joblib

    return joblib.load(path)


def _registered(record):
    """The newest version of the lab's model (the one `Model(ws, name)` loads) when it was registered from a run, or
    None: an older linked version does not count once a newer one has lost the link to the explained run."""
    versions = checklib.models(record, MODEL)
    return versions[0] if versions and versions[0].run_id else None


@lru_cache(maxsize=1)
def _split():
    from labs import data

    return data.split()


# ---- step 1: the run -----------------------------------------------------------------------------------

def explain_run_completed(record):
    runs = checklib.runs(record, EXPERIMENT)
    if not runs:
        return failed(f"The experiment '{EXPERIMENT}' has no runs yet: submit diabetes_training.py with a "
                      "ScriptRunConfig.",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem execuções: envie o diabetes_training.py com um "
                         "ScriptRunConfig.")
    if not _completed_runs(record):
        return failed("No script run of the experiment completed; read the newest run's log "
                      "(run.get_details_with_logs()) for the error.",
                      expected="Completed", found=checklib.run_status(record, runs[0]["run_id"]),
                      pt="Nenhuma execução de script do experimento foi concluída; leia o log da execução mais "
                         "recente (run.get_details_with_logs()) para ver o erro.")
    return passed("The training and explanation run completed.",
                  pt="A execução de treinamento e explicação foi concluída.")


@needs("explain_run_completed")
def model_saved_in_outputs(record):
    runs = _completed_runs(record)
    if not runs:
        return failed(f"With no completed run there is no {MODEL_FILE} to check.",
                      pt=f"Sem execução concluída não há {MODEL_FILE} para verificar.")
    run = runs[0]
    if MODEL_FILE not in checklib.file_names(record, run["run_id"]):
        return failed(f"The newest completed run has no {MODEL_FILE}: save the model there with joblib.dump.",
                      found=checklib.file_names(record, run["run_id"]),
                      pt=f"A execução concluída mais recente não tem {MODEL_FILE}: salve o modelo lá com joblib.dump.")
    from labs import data

    truth = data.score_model(_run_model(record, run["run_id"]))["accuracy"]
    logged = checklib.scalar(checklib.metrics(record, run["run_id"]).get("Accuracy"))
    if not checklib.near(logged, truth):
        return failed("The run's logged Accuracy is not what its saved model scores on the test split "
                      "(test_size=0.30, random_state=0).", expected=round(truth, 4), found=logged,
                      pt="A Accuracy registrada na execução não é o que o modelo salvo dela obtém na parte de teste "
                         "(test_size=0.30, random_state=0).")
    return passed(f"The run saved its model in {MODEL_FILE} and logged its true test accuracy ({truth:.3f}).",
                  pt=f"A execução salvou o modelo em {MODEL_FILE} e registrou a acurácia real de teste ({truth:.3f}).")


@needs("explain_run_completed")
def explanation_uploaded(record):
    run = _explained_run(record)
    if run is None:
        return failed(f"No completed run of '{EXPERIMENT}' holds a global explanation with the comment "
                      f"'{GLOBAL_COMMENT}'.",
                      hint="ExplanationClient.from_run(run).upload_model_explanation(explanation, "
                           "comment='Tabular Explanation') with explanation = explainer.explain_global(X_test)",
                      pt=f"Nenhuma execução concluída de '{EXPERIMENT}' tem uma explicação global com o comentário "
                         f"'{GLOBAL_COMMENT}'.")
    values = _global(record, run["run_id"])["global_importance_values"]
    if len(values) != 8 or not any(v > 0 for v in values):
        return failed("The uploaded explanation has no importance for the eight features.", found=values,
                      pt="A explicação enviada não tem importância para as oito features.")
    return passed("The run holds its global explanation (a feature importance for each of the eight features).",
                  pt="A execução guarda a explicação global dela (uma importância para cada uma das oito features).")


@needs("explanation_uploaded")
def explanation_names_the_features(record):
    from labs import data

    run = _explained_run(record)
    if run is None:
        return failed("With no uploaded explanation there are no feature names to read.",
                      pt="Sem explicação enviada não há nomes de features para ler.")
    explanation = _global(record, run["run_id"])
    if explanation["features"] != data.FEATURES or explanation["classes"] != CLASSES:
        return failed("The explanation does not name the features and classes: pass features=features and "
                      "classes=labels to TabularExplainer.",
                      expected={"features": data.FEATURES, "classes": CLASSES},
                      found={"features": explanation["features"], "classes": explanation["classes"]},
                      pt="A explicação não dá nome às features e às classes: passe features=features e "
                         "classes=labels ao TabularExplainer.")
    return passed("The explanation names the eight features and the two classes.",
                  pt="A explicação dá nome às oito features e às duas classes.")


# ---- step 2: register and read ---------------------------------------------------------------------------

def model_registered_from_run(record):
    version = _registered(record)
    newest = next(iter(checklib.models(record, MODEL)), None)
    if version is None and newest is not None:
        return failed(f"'{MODEL}' version {newest.version}, the newest, was registered from a file, not from a run: "
                      f"Model(ws, '{MODEL}') now loads a version with no link to the run that explained it. Register "
                      "it again from the run.", found=newest.id,
                      hint="run.register_model(model_path='outputs/diabetes.pkl', model_name='diabetes-explained')",
                      pt=f"A versão {newest.version} de '{MODEL}', a mais recente, foi registrada a partir de um "
                         f"arquivo, não de uma execução: Model(ws, '{MODEL}') agora carrega uma versão sem ligação com "
                         "a execução que a explicou. Registre-a de novo a partir da execução.")
    if version is None:
        return failed(f"No version of the model '{MODEL}' was registered from a run.",
                      hint="run.register_model(model_path='outputs/diabetes.pkl', model_name='diabetes-explained')",
                      pt=f"Nenhuma versão do modelo '{MODEL}' foi registrada a partir de uma execução.")
    if _global(record, version.run_id) is None:
        return failed(f"'{MODEL}' version {version.version} comes from a run that holds no '{GLOBAL_COMMENT}' "
                      "explanation: register it from the run that explained it.", found=version.run_id,
                      pt=f"A versão {version.version} de '{MODEL}' vem de uma execução sem a explicação "
                         f"'{GLOBAL_COMMENT}': registre-a a partir da execução que a explicou.")
    return passed(f"'{MODEL}' version {version.version} is registered from the run that explained it.",
                  pt=f"A versão {version.version} de '{MODEL}' foi registrada a partir da execução que a explicou.")


_rankings: dict[tuple[str, str], list[str]] = {}


def _recomputed_ranking(record, version) -> list[str]:
    """The features by importance for a registered model version, from a fresh explainer over the test split
    (a few seconds, so kept per version: a registered version never changes)."""
    key = (str(record.folder), version.id)
    if key not in _rankings:
        from labs import data
        from sim.interpret.ext.blackbox import TabularExplainer

        X_train, X_test, _, _ = _split()
        model = checklib.load_model(version, "diabetes.pkl")
        explainer = TabularExplainer(model, X_train, features=data.FEATURES, classes=CLASSES)
        _rankings[key] = explainer.explain_global(X_test).get_ranked_global_names()
    return _rankings[key]


def _uploaded_ranking(explanation: dict) -> list[str]:
    pairs = sorted(zip(explanation["features"], explanation["global_importance_values"], strict=True),
                   key=lambda pair: -pair[1])
    return [name for name, _ in pairs]


@needs("model_registered_from_run")
def top_features_right_for_model(record):
    version = _registered(record)
    if version is None or _global(record, version.run_id) is None:
        return failed(f"With no '{MODEL}' registered from the explained run there is no model to recompute the "
                      "importance from.",
                      pt=f"Sem '{MODEL}' registrado a partir da execução explicada não há modelo para recalcular a "
                         "importância.")
    uploaded = _uploaded_ranking(_global(record, version.run_id))[:TOP]
    recomputed = _recomputed_ranking(record, version)
    expected = recomputed[:TOP]
    if uploaded[:2] != recomputed[:2] or not set(uploaded) <= set(recomputed[:TOP + 1]):
        return failed(f"The uploaded explanation's top {TOP} features are not those of the registered model: explain "
                      "the model the run saved, on the test data, with the features in the data's order.",
                      expected=expected, found=uploaded,
                      pt=f"As {TOP} features principais da explicação enviada não são as do modelo registrado: "
                         "explique o modelo que a execução salvou, nos dados de teste, com as features na ordem dos "
                         "dados.")
    return passed(f"The top features ({', '.join(expected)}) are what the registered model really relies on.",
                  pt=f"As features principais ({', '.join(expected)}) são aquelas em que o modelo registrado de fato "
                     "se apoia.")


# ---- step 3: local explanation ---------------------------------------------------------------------------

def _local(record) -> dict | None:
    version = _registered(record)
    if version is None:
        return None
    return next((e["data"] for e in _explanations(record, version.run_id, "local") if e["comment"] == LOCAL_COMMENT),
                None)


def local_explanation_uploaded(record):
    local = _local(record)
    if local is None:
        return failed(f"The run '{MODEL}' was registered from holds no local explanation with the comment "
                      f"'{LOCAL_COMMENT}'.",
                      hint="ExplanationClient.from_run(run).upload_model_explanation(explainer.explain_local("
                           "X_test[0:2]), comment=...)",
                      pt=f"A execução de onde '{MODEL}' foi registrado não tem uma explicação local com o comentário "
                         f"'{LOCAL_COMMENT}'.")
    shape = [len(local["local_importance_values"]), len(local["local_importance_values"][0] or [])]
    if shape != [2, 2]:
        return failed("The local explanation should hold 2 classes x 2 patients (X_test[0:2] of a classifier).",
                      expected=[2, 2], found=shape,
                      pt="A explicação local deveria ter 2 classes x 2 pacientes (X_test[0:2] de um classificador).")
    return passed("The run holds the local explanation of two test patients.",
                  pt="A execução guarda a explicação local de dois pacientes de teste.")


@needs("local_explanation_uploaded")
def local_contributions_add_up(record):
    import numpy as np

    local = _local(record)
    if local is None:
        return failed("With no local explanation there are no contributions to add up.",
                      pt="Sem explicação local não há contribuições para somar.")
    model = checklib.load_model(_registered(record), "diabetes.pkl")
    probabilities = model.predict_proba(_split()[1][0:2]).T  # [class][patient]
    values = np.asarray(local["local_importance_values"], dtype=float)  # [class][patient][feature]
    totals = values.sum(axis=2) + np.asarray(local["expected_values"], dtype=float)[:, None]
    if totals.shape != probabilities.shape or not np.allclose(totals, probabilities, atol=TOLERANCE):
        return failed("The contributions plus the expected value do not add up to what the registered model predicts "
                      "for X_test[0:2]: explain those two patients with that model.",
                      expected=np.round(probabilities, 3).tolist(), found=np.round(totals, 3).tolist(),
                      pt="As contribuições mais o valor esperado não somam o que o modelo registrado prevê para "
                         "X_test[0:2]: explique esses dois pacientes com esse modelo.")
    return passed("For both patients the contributions add up to the model's predicted probabilities.",
                  pt="Para os dois pacientes, as contribuições somam as probabilidades previstas pelo modelo.")
