"""`TabularExplainer`: explains any fitted scikit-learn style model on tabular data with Shapley values."""

from __future__ import annotations

import numpy as np

from sim import messages
from sim.interpret import _shapley
from sim.interpret._explanation import DynamicGlobalExplanation, DynamicLocalExplanation

BACKGROUND_ROWS = 25  # initialization examples kept as the "absent feature" reference (a seeded sample)


def _as_matrix(data) -> np.ndarray:
    values = data.values if hasattr(data, "values") and not callable(data.values) else data
    return np.asarray(values, dtype=float)


class TabularExplainer:
    """interpret-community's TabularExplainer: `explain_global` and `explain_local` for a tabular model."""

    def __init__(self, model, initialization_examples, explain_subset=None, features=None, classes=None,
                 transformations=None, allow_all_transformations=False, model_task="unknown", **kwargs):
        self.model = model
        if hasattr(model, "predict_proba") and model_task != "regression":
            self._predict, self._is_classifier = model.predict_proba, True
        elif hasattr(model, "predict"):
            self._predict, self._is_classifier = model.predict, False
        else:
            raise TypeError(messages.EXPLAINER_MODEL_INVALID.format(kind=type(model).__name__))
        data = _as_matrix(initialization_examples)
        if features is None:
            features = list(initialization_examples.columns) if hasattr(initialization_examples, "columns") \
                else [f"Feature {i}" for i in range(data.shape[1])]
        if len(features) != data.shape[1]:
            raise ValueError(messages.EXPLAINER_FEATURES_MISMATCH.format(names=len(features), columns=data.shape[1]))
        self.features = [str(name) for name in features]
        # model.classes_ holds numpy scalars: plain Python values keep the explanation JSON-serialisable
        self.classes = None if not self._is_classifier else np.asarray(
            classes if classes is not None else getattr(model, "classes_", [])).tolist()
        take = np.random.default_rng(0).permutation(len(data))[:BACKGROUND_ROWS]
        self._background = data[np.sort(take)]

    def _values(self, data):
        rows = _as_matrix(data)
        if rows.ndim == 1:
            rows = rows[None, :]
        phi = _shapley.shapley_values(self._predict, rows, self._background)  # (rows, outputs, features)
        expected = _shapley._outputs(self._predict, self._background).mean(axis=0)
        if self._is_classifier:
            return np.transpose(phi, (1, 0, 2)), expected  # [class][row][feature]
        return phi[:, 0, :], expected[0]

    def explain_local(self, evaluation_examples):
        """Each row's feature contributions (for a classifier, towards each class)."""
        values, expected = self._values(evaluation_examples)
        return DynamicLocalExplanation(self.features, values, expected, self.classes, self._method)

    def explain_global(self, evaluation_examples=None, sampling_policy=None, include_local=True,
                       batch_size=100):
        """Overall importance: mean absolute contribution over the rows (averaged over classes)."""
        data = self._background if evaluation_examples is None else evaluation_examples
        values, expected = self._values(data)
        magnitude = np.abs(values)
        importance = magnitude.mean(axis=(0, 1)) if self._is_classifier else magnitude.mean(axis=0)
        return DynamicGlobalExplanation(self.features, importance, values if include_local else None, expected,
                                        self.classes, self._method)

    @property
    def _method(self):
        exact = len(self.features) <= _shapley.EXACT_MAX_FEATURES
        return "shap.exact" if exact else "shap.sampling"

    def __repr__(self):
        return f"<interpret_community.tabular_explainer.TabularExplainer object; model {type(self.model).__name__}>"
