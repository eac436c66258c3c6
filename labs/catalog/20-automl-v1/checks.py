"""Checks of lab 20 (automated ML, SDK v1): the AutoML runs of the experiment as the service ran them (settings,
validation data, iterations), the guardrail the learner recorded against the one the service reported, and the
registered model against the iteration that truly scored best by the primary metric."""

from __future__ import annotations

import math

from labs import checklib
from labs.grading import failed, needs, passed

EXPERIMENT, METRIC, MODEL = "mslearn-diabetes-automl", "AUC_weighted", "diabetes-automl"
CONFIG = {"task": "classification", "primary_metric": METRIC, "label_column": "Diabetic", "max_trials": 6,
          "max_concurrent_trials": 2}
BALANCE = "Class balancing detection"
HELD_OUT = (0.25, 0.35)  # the share of patients random_split(percentage=0.7) leaves for validation


# ---- what the service holds ----------------------------------------------------------------------------

def _runs(record) -> list[dict]:
    """The experiment's AutoML runs, newest first."""
    from sim.cloud.automl import engine
    from sim.cloud.runs import state

    rows = [r for r in state.list_for(record, experiment=EXPERIMENT) if engine.is_automl(r)]
    return [engine.get(record, r["run_id"]) for r in reversed(rows)]


def _completed(record) -> list[dict]:
    return [r for r in _runs(record) if r["status"] == "Completed"]


def _settings(run: dict) -> dict:
    return {k: run["definition"]["automl"].get(k) for k in CONFIG}


def _configured(record) -> list[dict]:
    return [r for r in _completed(record) if _settings(r) == CONFIG]


def _scores(record, run_id: str) -> dict[str, float]:
    """Each completed iteration's primary metric, read from its own logged metrics."""
    from sim.cloud.automl import engine

    out = {}
    for trial in engine.trials(record, run_id):
        value = checklib.scalar(checklib.metrics(record, trial["run_id"]).get(METRIC))
        if trial["status"] == "Completed" and isinstance(value, int | float):
            out[trial["run_id"]] = float(value)
    return out


def _best(scores: dict[str, float]) -> set[str]:
    top = max(scores.values())
    return {name for name, value in scores.items() if math.isclose(value, top, abs_tol=1e-12)}


# ---- step 1: the run ------------------------------------------------------------------------------------

def automl_run_completed(record):
    runs = _runs(record)
    if not runs:
        return failed(f"The experiment '{EXPERIMENT}' has no AutoML run yet: submit the AutoMLConfig to it.",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem execução do AutoML: envie o AutoMLConfig a ele.")
    if not _completed(record):
        return failed("No AutoML run completed; read the failed iterations' errors with get_children().",
                      expected="Completed", found=runs[0]["status"],
                      pt="Nenhuma execução do AutoML foi concluída; leia os erros das iterações que falharam com "
                         "get_children().")
    return passed("An AutoML run completed.", pt="Uma execução do AutoML foi concluída.")


@needs("automl_run_completed")
def automl_run_configured(record):
    if not _completed(record):
        return failed("There is no completed AutoML run whose settings could be checked yet.",
                      pt="Ainda não há execução do AutoML concluída cujas configurações possam ser verificadas.")
    if not _configured(record):
        return failed(f"No completed AutoML run was a classification of 'Diabetic' ranked by {METRIC}, with "
                      "iterations=6 and max_concurrent_iterations=2.", expected=CONFIG,
                      found=_settings(_completed(record)[0]),
                      pt=f"Nenhuma execução do AutoML concluída foi uma classificação de 'Diabetic' ordenada por "
                         f"{METRIC}, com iterations=6 e max_concurrent_iterations=2.")
    return passed(f"The run classified 'Diabetic' by {METRIC} in six iterations, two at a time.",
                  pt=f"A execução classificou 'Diabetic' por {METRIC} em seis iterações, duas de cada vez.")


@needs("automl_run_configured")
def validated_on_held_out_patients(record):
    from sim.cloud.automl import engine

    evidence = {}
    for run in _configured(record):
        train, valid = engine.load_data(record, run["run_id"])
        if valid is None:
            evidence = {"validation_data": None}
            continue
        share = len(valid) / (len(train) + len(valid))
        shared = len(set(train["PatientID"]) & set(valid["PatientID"])) if "PatientID" in valid else None
        evidence = {"validation_share": round(share, 3), "patients_in_both": shared}
        if HELD_OUT[0] <= share <= HELD_OUT[1] and shared == 0:
            return passed(f"Every iteration was scored on {len(valid)} patients it was not trained on.",
                          pt=f"Cada iteração foi pontuada em {len(valid)} pacientes com que não foi treinada.")
    return failed("Pass the 30% split as validation_data (test_ds from random_split(percentage=0.7, seed=123)): "
                  "iterations must be scored on patients they were not trained on.",
                  expected={"validation_share": "about 0.3", "patients_in_both": 0}, found=evidence,
                  pt="Passe a parte de 30% como validation_data (test_ds de random_split(percentage=0.7, "
                     "seed=123)): as iterações precisam ser pontuadas em pacientes com que não foram treinadas.")


# ---- step 2: the guardrails ---------------------------------------------------------------------------

def _tagged(record) -> list[dict]:
    from sim.cloud.runs import lifecycle

    return [r for r in _completed(record) if "class_balance" in lifecycle.tags(record, r["run_id"])]


def class_balance_tagged(record):
    if not _tagged(record):
        return failed("No completed AutoML run has the tag 'class_balance' yet: tag it with the status of the "
                      f"'{BALANCE}' guardrail.",
                      pt="Nenhuma execução do AutoML concluída tem a tag 'class_balance' ainda: marque-a com o status "
                         f"da verificação '{BALANCE}'.")
    return passed("The run is tagged class_balance.", pt="A execução tem a tag class_balance.")


@needs("class_balance_tagged")
def class_balance_is_what_automl_found(record):
    from sim.cloud.automl import engine
    from sim.cloud.runs import lifecycle

    found = {}
    for run in _tagged(record):
        rails = {r["name"]: r["result"] for r in engine.guardrails(record, run["run_id"])}
        tag = lifecycle.tags(record, run["run_id"])["class_balance"]
        found = {"tag": tag, "guardrail": rails.get(BALANCE)}
        if str(tag).strip().lower() == str(rails.get(BALANCE)).lower():
            return passed(f"The tag says what the guardrail found: {rails[BALANCE]}.",
                          pt=f"A tag diz o que a verificação encontrou: {rails[BALANCE]}.")
    return failed(f"The tag class_balance must be the status AutoML reported for '{BALANCE}' in that run.",
                  expected=found.get("guardrail"), found=found.get("tag"),
                  pt=f"A tag class_balance precisa ser o status que o AutoML relatou para '{BALANCE}' nessa execução.")


# ---- step 3: the best model ---------------------------------------------------------------------------

def model_registered(record):
    if not checklib.models(record, MODEL):
        return failed(f"No model named '{MODEL}' is registered yet.",
                      pt=f"Nenhum modelo chamado '{MODEL}' está registrado ainda.")
    return passed(f"'{MODEL}' is registered.", pt=f"'{MODEL}' está registrado.")


def _iteration_of(record, version) -> tuple[dict | None, str | None]:
    """(the completed AutoML run whose iteration made the version, that iteration's id) or (None, None)."""
    for run in _completed(record):
        if version.run_id and version.run_id.startswith(run["run_id"] + "_"):
            return run, version.run_id
    return None, None


def _same_file(record, version, run_id: str) -> bool:
    from sim.cloud.runs import files

    registered = [p for p in version.folder.rglob("model.pkl")] if version.folder.is_dir() else [version.folder]
    trial_file = files.artifact_root(record, run_id) / "outputs/model.pkl"
    return bool(registered) and trial_file.exists() and registered[0].read_bytes() == trial_file.read_bytes()


@needs("model_registered")
def model_is_the_best_iteration(record):
    if not checklib.models(record, MODEL):
        return failed(f"There is no '{MODEL}' to compare with the best iteration yet.",
                      pt=f"Ainda não há '{MODEL}' para comparar com a melhor iteração.")
    version = checklib.models(record, MODEL)[0]
    run, iteration = _iteration_of(record, version)
    if run is None:
        return failed(f"The newest '{MODEL}' was not registered from an iteration of a completed AutoML run in "
                      f"'{EXPERIMENT}'.", found={"run_id": version.run_id},
                      pt=f"O '{MODEL}' mais recente não foi registrado a partir de uma iteração de uma execução do "
                         f"AutoML concluída em '{EXPERIMENT}'.")
    best = _best(_scores(record, run["run_id"]))
    if iteration not in best:
        return failed(f"The registered model must be the iteration with the highest {METRIC} (what get_output() "
                      "returns).", expected=sorted(best), found=iteration,
                      pt=f"O modelo registrado precisa ser a iteração com a maior {METRIC} (o que get_output() "
                         "devolve).")
    if not _same_file(record, version, iteration):
        return failed(f"The registered file is not {iteration}'s outputs/model.pkl.", expected="outputs/model.pkl",
                      found=[p.name for p in version.folder.rglob("*")] if version.folder.is_dir() else None,
                      pt=f"O arquivo registrado não é o outputs/model.pkl de {iteration}.")
    return passed(f"'{MODEL}' is the best iteration's model ({iteration}).",
                  pt=f"'{MODEL}' é o modelo da melhor iteração ({iteration}).")


@needs("model_is_the_best_iteration")
def model_properties_are_its_scores(record):
    if not checklib.models(record, MODEL):
        return failed(f"There is no '{MODEL}' whose properties could be compared with its run's scores yet.",
                      pt=f"Ainda não há '{MODEL}' cujas propriedades possam ser comparadas com as pontuações da "
                         "execução dele.")
    version = checklib.models(record, MODEL)[0]
    logged = checklib.metrics(record, version.run_id)
    expected = {"AUC": checklib.scalar(logged.get(METRIC)), "Accuracy": checklib.scalar(logged.get("accuracy"))}
    found = {k: version.properties.get(k) for k in expected}
    if not all(checklib.near(found[k], v, 1e-9) for k, v in expected.items()) or \
            version.tags.get("Training context") != "Auto ML":
        return failed("The model's properties AUC and Accuracy must be its run's AUC_weighted and accuracy, and its "
                      "tag 'Training context' must be 'Auto ML'.",
                      expected={**expected, "Training context": "Auto ML"},
                      found={**found, "Training context": version.tags.get("Training context")},
                      pt="As propriedades AUC e Accuracy do modelo precisam ser AUC_weighted e accuracy da execução "
                         "dele, e a tag 'Training context' precisa ser 'Auto ML'.")
    return passed("The model carries its iteration's scores.", pt="O modelo traz as pontuações da iteração dele.")
