"""The fitted models of AutoML's ensemble iterations, named as Azure's (`PreFittedSoftVotingClassifier`,
`PreFittedSoftVotingRegressor`, `StackEnsembleClassifier`, `StackEnsembleRegressor`).

Their members are trials' pipelines already fitted (scaler + model, after the run's shared datatransformer), so
AutoML never refits an ensemble: voting averages the members' probabilities (or values) with the weights the
ensemble selection chose; stacking feeds them to a meta-learner fitted on the members' validation predictions.
`fit` (for a learner who calls it) refits every member on the data given, and the stack's meta-learner on the
members' predictions of that same data.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin


def _refit(members, x, y) -> list:
    from sklearn.base import clone

    return [(name, clone(model).fit(x, y)) for name, model in members]


def _aligned_proba(model, x, classes) -> np.ndarray:
    proba = model.predict_proba(x)
    out = np.zeros((len(proba), len(classes)))
    for i, cls in enumerate(model.classes_):
        out[:, int(np.flatnonzero(classes == cls)[0])] = proba[:, i]
    return out


class PreFittedSoftVotingClassifier(ClassifierMixin, BaseEstimator):
    """Soft voting over fitted classifiers: the weighted mean of their class probabilities.

    Args:
        estimators: [(name, fitted classifier), ...].
        weights: one weight per estimator (they sum to 1).
        classes: the class labels, in the order of the probabilities.
    """

    def __init__(self, estimators, weights, classes):
        self.estimators = estimators
        self.weights = weights
        self.classes = classes

    @property
    def classes_(self):
        return np.asarray(self.classes)

    def __sklearn_is_fitted__(self) -> bool:
        return True  # built from fitted members; nothing to fit

    def fit(self, x, y):
        """Refit every member on (x, y), keeping the weights."""
        self.estimators = _refit(self.estimators, x, y)
        return self

    def predict_proba(self, x) -> np.ndarray:
        """The weighted mean of the members' probabilities."""
        return sum(w * _aligned_proba(m, x, self.classes_) for (_, m), w in zip(self.estimators, self.weights,
                                                                                 strict=True))

    def predict(self, x) -> np.ndarray:
        """The class with the highest mean probability."""
        return self.classes_[np.argmax(self.predict_proba(x), axis=1)]


class PreFittedSoftVotingRegressor(RegressorMixin, BaseEstimator):
    """Voting over fitted regressors: the weighted mean of their predictions (see the classifier's arguments)."""

    def __init__(self, estimators, weights):
        self.estimators = estimators
        self.weights = weights

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def fit(self, x, y):
        """Refit every member on (x, y), keeping the weights."""
        self.estimators = _refit(self.estimators, x, y)
        return self

    def predict(self, x) -> np.ndarray:
        """The weighted mean of the members' predictions."""
        return sum(w * np.asarray(m.predict(x), dtype=float) for (_, m), w in zip(self.estimators, self.weights,
                                                                                   strict=True))


class StackEnsembleClassifier(ClassifierMixin, BaseEstimator):
    """A meta-learner over fitted classifiers: it reads their class probabilities side by side.

    Args:
        base_learners: [(name, fitted classifier), ...].
        meta_learner: a fitted classifier over the members' probabilities.
        classes: the class labels.
    """

    def __init__(self, base_learners, meta_learner, classes):
        self.base_learners = base_learners
        self.meta_learner = meta_learner
        self.classes = classes

    @property
    def classes_(self):
        return np.asarray(self.classes)

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def fit(self, x, y):
        """Refit the members on (x, y), then the meta-learner on their probabilities."""
        from sklearn.base import clone

        self.base_learners = _refit(self.base_learners, x, y)
        self.meta_learner = clone(self.meta_learner).fit(self.meta_features(x), y)
        return self

    def meta_features(self, x) -> np.ndarray:
        """The members' probabilities, side by side (what the meta-learner reads)."""
        return np.hstack([_aligned_proba(m, x, self.classes_) for _, m in self.base_learners])

    def predict_proba(self, x) -> np.ndarray:
        """The meta-learner's class probabilities."""
        return _aligned_proba(self.meta_learner, self.meta_features(x), self.classes_)

    def predict(self, x) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(x), axis=1)]


class StackEnsembleRegressor(RegressorMixin, BaseEstimator):
    """A meta-learner over fitted regressors' predictions (see the classifier's arguments)."""

    def __init__(self, base_learners, meta_learner):
        self.base_learners = base_learners
        self.meta_learner = meta_learner

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def fit(self, x, y):
        """Refit the members on (x, y), then the meta-learner on their predictions."""
        from sklearn.base import clone

        self.base_learners = _refit(self.base_learners, x, y)
        self.meta_learner = clone(self.meta_learner).fit(self.meta_features(x), y)
        return self

    def meta_features(self, x) -> np.ndarray:
        """The members' predictions, side by side."""
        return np.column_stack([np.asarray(m.predict(x), dtype=float) for _, m in self.base_learners])

    def predict(self, x) -> np.ndarray:
        return np.asarray(self.meta_learner.predict(self.meta_features(x)), dtype=float)
