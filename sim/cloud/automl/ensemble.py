"""AutoML's ensemble iterations: `VotingEnsemble` and `StackEnsemble`, the last iterations of a run when
`enable_voting_ensemble` / `enable_stack_ensemble` are on (both are on by default for classification and
regression, as in Azure; stacking is off by default for forecasting). Each takes one of the run's max_trials,
and they run only when at least two other trials fit in max_trials and completed.

Both are built from the completed trials' predictions on the validation rows (kept by each trial), not by
refitting them:
- voting: greedy ensemble selection with replacement (Caruana et al.): 15 rounds, each adding the trial that
  most improves the primary metric of the averaged predictions; the counts become the weights;
- stacking: the trials voting chose (at least two, at most five) feed a meta-learner (LogisticRegression for
  classification, ElasticNetCV for regression) trained on their validation predictions. It is scored on folds
  it was not trained on: the other cross-validation folds, or with one validation set, a 5-fold split of it.
The ensemble's model is the run's datatransformer followed by the ensemble of the members' fitted pipelines.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.cloud.automl import catalog, ensemble_models, scoring, trial

VOTING, STACK = "VotingEnsemble", "StackEnsemble"
SELECTION_ROUNDS = 15
MAX_STACK_MEMBERS = 5
INNER_FOLDS = 5  # folds of a single validation set when scoring the stack's meta-learner


def planned(settings: dict) -> list[str]:
    """The ensemble iterations a run ends with (none when max_trials leaves fewer than two other trials)."""
    names = [name for name, key in ((VOTING, "enable_voting_ensemble"), (STACK, "enable_stack_ensemble"))
             if settings.get(key)]
    return names if settings["max_trials"] >= len(names) + 2 else []


def candidate(run_id: str, iteration: int, score: float, folder: Path) -> dict:
    """A completed trial an ensemble may use: its id, iteration, score, fitted model and validation predictions."""
    import pickle

    with np.load(Path(folder) / "predictions.npz") as saved:
        predictions = [saved[f"arr_{n}"] for n in range(len(saved.files))]
    model = pickle.loads((Path(folder) / trial.PICKLED_MODEL).read_bytes())
    return {"run_id": run_id, "iteration": iteration, "score": score, "model": model, "predictions": predictions}


def build(kind: str, prepared: trial.Prepared, candidates: list[dict],
          weights: np.ndarray | None = None) -> tuple[object, dict, dict]:
    """(fitted model, metrics, properties) of the VotingEnsemble or StackEnsemble over the candidates.

    Args:
        weights: the ensemble selection's weights, when already made (both ensembles start from them).
    """
    weights = select(prepared, candidates) if weights is None else weights
    if kind == VOTING:
        return _voting(prepared, candidates, weights)
    return _stack(prepared, candidates, weights)


def select(prepared: trial.Prepared, candidates: list[dict]) -> np.ndarray:
    """Greedy ensemble selection with replacement: how often each candidate was picked, as weights."""
    metric = prepared.settings["primary_metric"]
    counts = np.zeros(len(candidates))
    for _ in range(SELECTION_ROUNDS):
        trials = [(_blend_score(prepared, candidates, counts + np.eye(len(candidates))[i], metric), i)
                  for i in range(len(candidates))]
        best_value, best_index = trials[0]
        for value, index in trials[1:]:
            if scoring.better(metric, value, best_value):
                best_value, best_index = value, index
        counts[best_index] += 1
    return counts / counts.sum()


def _blended(candidates: list[dict], weights: np.ndarray, fold: int) -> np.ndarray:
    return sum(w * c["predictions"][fold] for c, w in zip(candidates, weights, strict=True) if w)


def _blend_score(prepared, candidates, counts, metric: str) -> float:
    weights = counts / counts.sum()
    values = [_one(prepared, fold.y_val, _blended(candidates, weights, n), metric)
              for n, fold in enumerate(prepared.folds)]
    return float(np.mean(values))


def _one(prepared, y_val, predicted, metric: str) -> float:
    """One metric of predictions (only that one is computed for classification)."""
    if prepared.settings["task"] == catalog.CLASSIFICATION:
        labels = prepared.classes[np.argmax(predicted, axis=1)]
        return scoring.classification(np.asarray(y_val), labels, predicted, prepared.classes, only=metric)[metric]
    return scoring.regression(np.asarray(y_val, dtype=float), predicted, prepared.y_range)[metric]


def _voting(prepared, candidates, weights) -> tuple[object, dict, dict]:
    folds = [trial.score(prepared, fold.y_val, _blended(candidates, weights, n))
             for n, fold in enumerate(prepared.folds)]
    chosen = [(c, w) for c, w in zip(candidates, weights, strict=True) if w]
    members = [(str(c["iteration"]), _after_datatransformer(c["model"])) for c, _ in chosen]
    if prepared.settings["task"] == catalog.CLASSIFICATION:
        model = ensemble_models.PreFittedSoftVotingClassifier(members, [w for _, w in chosen],
                                                              prepared.classes.tolist())
        step = "prefittedsoftvotingclassifier"
    else:
        model = ensemble_models.PreFittedSoftVotingRegressor(members, [w for _, w in chosen])
        step = "prefittedsoftvotingregressor"
    return _with_datatransformer(prepared, step, model), scoring.average(folds), _properties(chosen)


def _stack(prepared, candidates, weights) -> tuple[object, dict, dict]:
    order = sorted(range(len(candidates)), key=lambda i: (-weights[i], _rank(prepared, candidates[i])))
    keep = [i for i in order if weights[i]][:MAX_STACK_MEMBERS]
    keep += [i for i in order if i not in keep][:max(0, 2 - len(keep))]
    chosen = [candidates[i] for i in keep]
    features = [_meta_features(prepared, chosen, n) for n in range(len(prepared.folds))]
    labels = [np.asarray(fold.y_val) for fold in prepared.folds]
    scores = _stack_scores(prepared, features, labels)
    meta = _meta_learner(prepared).fit(np.vstack(features), np.concatenate(labels))
    members = [(str(c["iteration"]), _after_datatransformer(c["model"])) for c in chosen]
    if prepared.settings["task"] == catalog.CLASSIFICATION:
        model = ensemble_models.StackEnsembleClassifier(members, meta, prepared.classes.tolist())
        step = "stackensembleclassifier"
    else:
        model = ensemble_models.StackEnsembleRegressor(members, meta)
        step = "stackensembleregressor"
    details = _properties([(c, 1 / len(chosen)) for c in chosen])
    details["stack_meta_learner_type"] = type(meta).__name__
    return _with_datatransformer(prepared, step, model), scores, details


def _rank(prepared, candidate_: dict) -> float:
    """Sort key: better scores first."""
    metric = prepared.settings["primary_metric"]
    return candidate_["score"] if metric in catalog.LOWER_IS_BETTER else -candidate_["score"]


def _meta_features(prepared, chosen: list[dict], fold: int) -> np.ndarray:
    columns = [c["predictions"][fold] for c in chosen]
    return np.hstack(columns) if prepared.settings["task"] == catalog.CLASSIFICATION else np.column_stack(columns)


def _meta_learner(prepared):
    from sklearn.linear_model import ElasticNetCV, LogisticRegression

    if prepared.settings["task"] == catalog.CLASSIFICATION:
        return LogisticRegression(max_iter=1000)
    return ElasticNetCV(cv=3)


def _stack_scores(prepared, features: list, labels: list) -> dict[str, float]:
    """The stack's metrics on rows its meta-learner was not trained on."""
    if len(features) == 1:
        features, labels = _inner_folds(prepared, features[0], labels[0])
    results = []
    for n in range(len(features)):
        rest = [i for i in range(len(features)) if i != n]
        meta = _meta_learner(prepared).fit(np.vstack([features[i] for i in rest]),
                                           np.concatenate([labels[i] for i in rest]))
        results.append(trial.score(prepared, labels[n], _meta_predictions(prepared, meta, features[n])))
    return scoring.average(results)


def _inner_folds(prepared, features, labels) -> tuple[list, list]:
    from sklearn.model_selection import KFold

    parts = KFold(n_splits=min(INNER_FOLDS, len(labels)), shuffle=True, random_state=0).split(features)
    pairs = [(features[rows], labels[rows]) for _, rows in parts]
    return [f for f, _ in pairs], [y for _, y in pairs]


def _meta_predictions(prepared, meta, features) -> np.ndarray:
    if prepared.settings["task"] == catalog.CLASSIFICATION:
        return trial.probabilities(meta, features, prepared.classes)
    return np.asarray(meta.predict(features), dtype=float)


def _after_datatransformer(model):
    """A trial's fitted pipeline without its datatransformer (the ensemble applies the run's once)."""
    from sklearn.pipeline import Pipeline

    model = getattr(model, "pipeline", model)  # a forecaster's pipeline
    steps = [s for s in model.steps if s[0] != "datatransformer"]
    return Pipeline(steps)


def _with_datatransformer(prepared, step: str, model):
    from sklearn.pipeline import Pipeline

    head = [("datatransformer", prepared.transformer)] if prepared.transformer is not None else []
    return trial.handed_over(prepared, Pipeline(head + [(step, model)]))


def _properties(chosen: list[tuple[dict, float]]) -> dict:
    import json

    return {"ensembled_iterations": json.dumps([c["iteration"] for c, _ in chosen]),
            "ensembled_run_ids": json.dumps([c["run_id"] for c, _ in chosen]),
            "ensemble_weights": json.dumps([round(float(w), 4) for _, w in chosen])}
