"""Checks of lab 25 (detect and mitigate unfairness, SDK v1 with fairlearn and azureml-contrib-fairness): the two
registered models, the fairness dashboards kept on runs of the experiment, and the disparity itself.

Nothing uploaded is taken on trust: the checks load the registered models, predict the stated test split
(test_size=0.20, random_state=0, stratified on the label) and compute selection rates and the equalized odds
difference by age group with fairlearn themselves.
"""

from __future__ import annotations

from functools import lru_cache

from labs import checklib
from labs.grading import failed, needs, passed

EXPERIMENT = "mslearn-diabetes-fairness"
UNMITIGATED, MITIGATED = "diabetes_unmitigated", "diabetes_mitigated"
SENSITIVE, GROUPS = "Age", ["50 or younger", "Over 50"]
TOLERANCE = 1e-6


# ---- the stated data and what a model really does on it -------------------------------------------------

@lru_cache(maxsize=1)
def _split():
    """X_train, X_test, y_train, y_test, groups_train, groups_test: the data split as the lab states."""
    import numpy as np
    from sklearn.model_selection import train_test_split

    from labs import data

    frame = data.frame()
    groups = np.where(frame["Age"].astype(int) > 50, GROUPS[1], GROUPS[0])
    return tuple(train_test_split(frame[data.FEATURES].values, frame[data.LABEL].values, groups, test_size=0.20,
                                  random_state=0, stratify=frame[data.LABEL].values))


def _test_split():
    """(X_test, y_test, age group of each test row)."""
    parts = _split()
    return parts[1], parts[3], parts[5]


@lru_cache(maxsize=1)
def _stated_tree_predictions():
    """What the lab's tree (max_depth=5, random_state=0, fitted on the stated training part) predicts for the test
    part."""
    from sklearn.tree import DecisionTreeClassifier

    X_train, X_test, y_train, _, _, _ = _split()
    return DecisionTreeClassifier(max_depth=5, random_state=0).fit(X_train, y_train).predict(X_test)


def _model(record, name: str):
    """(newest registered version, the unpickled model) of `name`, or (None, None)."""
    versions = checklib.models(record, name)
    if not versions:
        return None, None
    try:
        return versions[0], checklib.load_model(versions[0])
    except Exception:  # noqa: BLE001 - not a pickled model: the check says so instead of crashing
        return versions[0], None


def _assess(model) -> dict:
    """Accuracy, equalized odds difference and selection rate by group of `model` on the test split."""
    from fairlearn.metrics import MetricFrame, equalized_odds_difference, selection_rate

    X_test, y_test, groups = _test_split()
    predicted = model.predict(X_test)
    rates = MetricFrame(metrics=selection_rate, y_true=y_test, y_pred=predicted, sensitive_features=groups)
    return {"accuracy": float((predicted == y_test).mean()),
            "disparity": float(equalized_odds_difference(y_test, predicted, sensitive_features=groups)),
            "selection_rate": [float(rates.by_group[g]) for g in GROUPS]}


# ---- the dashboards on the experiment's runs ---------------------------------------------------------------

def _dashboards(record) -> list[dict]:
    """Every dashboard on the experiment's runs, newest run first: {name, models, data}."""
    from sim.cloud.runs import assessments

    found = []
    for run in checklib.runs(record, EXPERIMENT):
        for item in reversed(assessments.listing(record, run["run_id"], assessments.DASHBOARD)):
            data = assessments.load(record, run["run_id"], assessments.DASHBOARD, item["id"])
            found.append({"name": item.get("dashboard_name"), "models": data["modelNames"], "data": data})
    return found


def _dashboard_with(record, model_ids: list[str]) -> dict | None:
    """The newest dashboard that shows every one of `model_ids` (whatever it is named)."""
    return next((d for d in _dashboards(record) if set(model_ids) <= set(d["models"])), None)


def _shown_rates(dashboard: dict, model_id: str) -> list[float] | None:
    """The selection rate by age group the dashboard shows for a model, or None without an Age feature."""
    data = dashboard["data"]
    for bins, per_model in zip(data["precomputedFeatureBins"], data["precomputedMetrics"], strict=True):
        if bins["featureBinName"] == SENSITIVE and bins["binLabels"] == GROUPS:
            return per_model[data["modelNames"].index(model_id)]["selection_rate"]["bins"]
    return None


# ---- step 1: assess --------------------------------------------------------------------------------------

def unmitigated_model_registered(record):
    version, model = _model(record, UNMITIGATED)
    if version is None:
        return failed(f"No model named '{UNMITIGATED}' is registered.",
                      hint="Model.register(workspace=ws, model_path='diabetes_unmitigated.pkl', "
                           "model_name='diabetes_unmitigated')",
                      pt=f"Nenhum modelo chamado '{UNMITIGATED}' está registrado.")
    if model is None or not hasattr(model, "predict"):
        return failed(f"'{UNMITIGATED}' version {version.version} is not a pickled classifier (joblib.dump the "
                      "trained model).",
                      pt=f"A versão {version.version} de '{UNMITIGATED}' não é um classificador serializado (use "
                         "joblib.dump no modelo treinado).")
    return passed(f"'{UNMITIGATED}' version {version.version} is registered.",
                  pt=f"A versão {version.version} de '{UNMITIGATED}' está registrada.")


def dashboard_uploaded(record):
    version, _ = _model(record, UNMITIGATED)
    ids = [version.id] if version else []
    if not ids or _dashboard_with(record, ids) is None:
        return failed(f"No run of '{EXPERIMENT}' holds a fairness dashboard of the registered '{UNMITIGATED}' "
                      "(its model id as the key of its predictions).", expected=ids or None,
                      found=[d["models"] for d in _dashboards(record)] or None,
                      hint="upload_dashboard_dictionary(run, _create_group_metric_set(..., predictions="
                           "{registered.id: y_hat}, ...), dashboard_name=...)",
                      pt=f"Nenhuma execução de '{EXPERIMENT}' tem um painel de equidade do '{UNMITIGATED}' registrado "
                         "(o id do modelo como chave das previsões dele).")
    return passed(f"A run of '{EXPERIMENT}' holds the dashboard of '{version.id}'.",
                  pt=f"Uma execução de '{EXPERIMENT}' guarda o painel de '{version.id}'.")


@needs("unmitigated_model_registered")
def unmitigated_model_as_stated(record):
    import numpy as np

    _, model = _model(record, UNMITIGATED)
    X_test = _test_split()[0]
    try:
        same = model is not None and bool(np.array_equal(model.predict(X_test), _stated_tree_predictions()))
    except Exception:  # noqa: BLE001 - e.g. a model of other features: it is not the stated tree
        same = False
    if not same:
        return failed(f"'{UNMITIGATED}' does not predict what DecisionTreeClassifier(max_depth=5, random_state=0) "
                      "trained on the stated split predicts: split with test_size=0.20, random_state=0, stratify=y "
                      "and train on X_train, y_train.",
                      pt=f"'{UNMITIGATED}' não prevê o que DecisionTreeClassifier(max_depth=5, random_state=0) "
                         "treinado na divisão pedida prevê: divida com test_size=0.20, random_state=0, stratify=y e "
                         "treine em X_train, y_train.")
    return passed(f"'{UNMITIGATED}' is the stated tree, trained on the stated split.",
                  pt=f"'{UNMITIGATED}' é a árvore pedida, treinada na divisão pedida.")


@needs("dashboard_uploaded")
def dashboard_matches_model(record):
    version, model = _model(record, UNMITIGATED)
    dashboard = _dashboard_with(record, [version.id]) if version else None
    if dashboard is None or model is None:
        return failed("With no dashboard of the registered model there are no group metrics to compare.",
                      pt="Sem painel do modelo registrado não há métricas por grupo para comparar.")
    shown, truth = _shown_rates(dashboard, version.id), _assess(model)["selection_rate"]
    if shown is None or any(abs(a - b) > TOLERANCE for a, b in zip(shown, truth, strict=True)):
        return failed(f"The dashboard's selection rates by age group are not what '{UNMITIGATED}' gives on the test "
                      "split (test_size=0.20, random_state=0, stratify=y) with the groups 'Over 50' and '50 or "
                      "younger' under the feature name 'Age'.",
                      expected=dict(zip(GROUPS, truth, strict=True)), found=shown,
                      pt=f"As taxas de seleção por faixa etária do painel não são o que '{UNMITIGATED}' dá na parte de "
                         "teste (test_size=0.20, random_state=0, stratify=y) com os grupos 'Over 50' e '50 or "
                         "younger' sob o nome de feature 'Age'.")
    return passed("The dashboard shows the model's real selection rates: "
                  + ", ".join(f"{g} {r:.2f}" for g, r in zip(GROUPS, truth, strict=True)) + ".",
                  pt="O painel mostra as taxas de seleção reais do modelo: "
                     + ", ".join(f"{g} {r:.2f}" for g, r in zip(GROUPS, truth, strict=True)) + ".")


# ---- step 2: mitigate ------------------------------------------------------------------------------------

def mitigated_model_registered(record):
    version, model = _model(record, MITIGATED)
    if version is None:
        return failed(f"No model named '{MITIGATED}' is registered.",
                      hint="joblib.dump(best, 'diabetes_mitigated.pkl'), then Model.register(..., "
                           "model_name='diabetes_mitigated')",
                      pt=f"Nenhum modelo chamado '{MITIGATED}' está registrado.")
    if model is None or not hasattr(model, "predict"):
        return failed(f"'{MITIGATED}' version {version.version} is not a pickled model with predict().",
                      pt=f"A versão {version.version} de '{MITIGATED}' não é um modelo serializado com predict().")
    return passed(f"'{MITIGATED}' version {version.version} is registered.",
                  pt=f"A versão {version.version} de '{MITIGATED}' está registrada.")


def disparity_really_lower(record):
    _, before = _model(record, UNMITIGATED)
    _, after = _model(record, MITIGATED)
    if before is None or after is None:
        return failed("Both models must be registered before their disparity can be compared.",
                      pt="Os dois modelos precisam estar registrados para comparar a disparidade deles.")
    old, new = _assess(before), _assess(after)
    floor = 1 - float(_test_split()[1].mean())  # what always predicting 'not diabetic' scores
    if new["disparity"] >= old["disparity"] or new["accuracy"] <= floor:
        return failed("On the test split the mitigated model must have a lower equalized odds difference than the "
                      f"unmitigated one and still beat always predicting 'not diabetic' (accuracy {floor:.3f}).",
                      expected={"disparity below": round(old["disparity"], 3), "accuracy above": round(floor, 3)},
                      found={"disparity": round(new["disparity"], 3), "accuracy": round(new["accuracy"], 3)},
                      pt="Na parte de teste, o modelo mitigado precisa ter um equalized odds difference menor que o "
                         f"do não mitigado e ainda superar sempre prever 'não diabético' (acurácia {floor:.3f}).")
    return passed(f"Equalized odds difference {old['disparity']:.3f} -> {new['disparity']:.3f}, accuracy "
                  f"{old['accuracy']:.3f} -> {new['accuracy']:.3f}, recomputed on the test split.",
                  pt=f"Equalized odds difference {old['disparity']:.3f} -> {new['disparity']:.3f}, acurácia "
                     f"{old['accuracy']:.3f} -> {new['accuracy']:.3f}, recalculados na parte de teste.")


def comparison_dashboard_uploaded(record):
    ids = [v.id for v in (_model(record, UNMITIGATED)[0], _model(record, MITIGATED)[0]) if v is not None]
    if len(ids) < 2 or _dashboard_with(record, ids) is None:
        return failed(f"No dashboard on a run of '{EXPERIMENT}' compares the two registered models (each model id as "
                      "the key of its predictions).",
                      expected=ids or None, found=[(d["name"], d["models"]) for d in _dashboards(record)] or None,
                      pt=f"Nenhum painel em uma execução de '{EXPERIMENT}' compara os dois modelos registrados (o id "
                         "de cada modelo como chave das previsões dele).")
    shown = _dashboard_with(record, ids)["name"]
    return passed(f"The dashboard '{shown}' compares {ids[0]} with {ids[1]}.",
                  pt=f"O painel '{shown}' compara {ids[0]} com {ids[1]}.")
