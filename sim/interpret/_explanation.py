"""The explanation objects `TabularExplainer` returns, with interpret-community's accessors.

Classification values are kept per class ([class][row][feature]); regression values per row ([row][feature]),
as interpret-community shapes them. `to_dict`/`from_dict` are what `ExplanationClient` stores on a run.
"""

from __future__ import annotations

import numpy as np


def _ranked(names, values):
    order = np.argsort(-np.asarray(values), kind="stable")
    return [names[i] for i in order], [float(values[i]) for i in order]


class DynamicLocalExplanation:
    """Each row's feature contributions (Shapley values) to the model's output."""

    def __init__(self, features, local_importance_values, expected_values, classes=None, method="shap.exact"):
        self.features = list(features)
        self.classes = None if classes is None else list(classes)
        self.local_importance_values = np.asarray(local_importance_values).tolist()
        self.expected_values = np.asarray(expected_values).tolist()
        self.method = method

    @property
    def is_raw(self):
        return True

    def _per_row(self, pick):
        values = self.local_importance_values
        if self.classes is None:
            return [pick(row) for row in values]
        return [[pick(row) for row in per_class] for per_class in values]

    def get_ranked_local_names(self, top_k=None):
        """Feature names of each row, most supporting first ([class][row][feature] for classifiers)."""
        return self._per_row(lambda row: _ranked(self.features, row)[0][:top_k])

    def get_ranked_local_values(self, top_k=None):
        """The contributions matching `get_ranked_local_names`, largest first."""
        return self._per_row(lambda row: _ranked(self.features, row)[1][:top_k])

    def get_local_importance_dict(self, row=0, class_index=1):
        """One row's contributions by feature name (for a classifier, towards `classes[class_index]`)."""
        values = self.local_importance_values
        picked = values[row] if self.classes is None else values[class_index][row]
        return dict(zip(self.features, picked, strict=True))

    def to_dict(self):
        return {"type": "local", "features": self.features, "classes": self.classes, "method": self.method,
                "local_importance_values": self.local_importance_values, "expected_values": self.expected_values}

    def __repr__(self):
        return f"<{type(self).__name__}: {len(self.features)} features, method {self.method}>"


class DynamicGlobalExplanation(DynamicLocalExplanation):
    """Overall feature importance: each feature's mean absolute contribution over the evaluation rows."""

    def __init__(self, features, global_importance_values, local_importance_values=None, expected_values=(),
                 classes=None, method="shap.exact"):
        local = [] if local_importance_values is None else local_importance_values
        super().__init__(features, local, expected_values, classes, method)
        self.global_importance_values = [float(v) for v in global_importance_values]

    def get_ranked_global_names(self, top_k=None):
        """Feature names, most important first."""
        return _ranked(self.features, self.global_importance_values)[0][:top_k]

    def get_ranked_global_values(self, top_k=None):
        """The importances matching `get_ranked_global_names`."""
        return _ranked(self.features, self.global_importance_values)[1][:top_k]

    def get_feature_importance_dict(self, top_k=None):
        """{feature name: importance}, most important first."""
        return dict(zip(self.get_ranked_global_names(top_k), self.get_ranked_global_values(top_k), strict=True))

    def keep_top(self, k: int) -> DynamicGlobalExplanation:
        """A global explanation of only the k most important features (what a top_k download holds)."""
        keep = sorted(np.argsort(-np.asarray(self.global_importance_values), kind="stable")[:k])
        return DynamicGlobalExplanation([self.features[i] for i in keep],
                                        [self.global_importance_values[i] for i in keep],
                                        expected_values=self.expected_values, classes=self.classes, method=self.method)

    def to_dict(self):
        return {**super().to_dict(), "type": "global", "global_importance_values": self.global_importance_values}


def from_dict(data: dict):
    """Rebuild an explanation stored with `to_dict`."""
    common = {"features": data["features"], "classes": data["classes"], "method": data["method"],
              "expected_values": data["expected_values"]}
    if data["type"] == "global":
        return DynamicGlobalExplanation(global_importance_values=data["global_importance_values"],
                                        local_importance_values=data["local_importance_values"], **common)
    return DynamicLocalExplanation(local_importance_values=data["local_importance_values"], **common)
