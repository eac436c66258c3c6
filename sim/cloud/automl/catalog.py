"""What AutoML can try: its algorithms (as Azure names them), the scikit-learn models behind them, the scalers,
the primary metrics per task, and the order in which trials are planned.

Only scikit-learn models are simulated. Azure's LightGBM, XGBoost, SVM, TabNet ... names are known (so blocking
them is accepted) but never tried; a trial's name says what really ran, e.g. 'MaxAbsScaler, RandomForest'.
"""

from __future__ import annotations

CLASSIFICATION, REGRESSION, FORECASTING = "classification", "regression", "forecasting"
TASKS = (CLASSIFICATION, REGRESSION, FORECASTING)

# Primary metrics per task, the name each metric is logged under, and whether greater is better.
METRICS = {
    CLASSIFICATION: ("AUC_weighted", "accuracy", "norm_macro_recall", "average_precision_score_weighted",
                     "precision_score_weighted"),
    REGRESSION: ("spearman_correlation", "normalized_root_mean_squared_error", "r2_score",
                 "normalized_mean_absolute_error"),
    FORECASTING: ("normalized_root_mean_squared_error", "r2_score", "normalized_mean_absolute_error",
                  "spearman_correlation"),
}
LOWER_IS_BETTER = {"normalized_root_mean_squared_error", "normalized_mean_absolute_error", "root_mean_squared_error",
                   "mean_absolute_error", "log_loss"}
DEFAULT_METRIC = {CLASSIFICATION: "accuracy", REGRESSION: "normalized_root_mean_squared_error",
                  FORECASTING: "normalized_root_mean_squared_error"}

# Azure's algorithm names that exist but are not simulated (not scikit-learn models).
UNSIMULATED = {
    CLASSIFICATION: ("LightGBM", "XGBoostClassifier", "SVM", "LinearSVM", "TabnetClassifier",
                     "AveragedPerceptronClassifier", "LinearSVMClassifier"),
    REGRESSION: ("LightGBM", "XGBoostRegressor", "TabnetRegressor", "FastLinearRegressor",
                 "OnlineGradientDescentRegressor"),
    # Forecasting's own time-series models are not simulated; its trials are the regression models over lag
    # and rolling-window features of the target.
    FORECASTING: ("AutoArima", "Prophet", "ExponentialSmoothing", "Arimax", "Naive", "SeasonalNaive", "Average",
                  "SeasonalAverage", "TCNForecaster", "LightGBM", "XGBoostRegressor", "TabnetRegressor"),
}
SIMULATED = {
    CLASSIFICATION: ("LogisticRegression", "RandomForest", "ExtremeRandomTrees", "GradientBoosting", "SGD",
                     "DecisionTree", "KNN", "BernoulliNaiveBayes", "MultinomialNaiveBayes"),
    REGRESSION: ("ElasticNet", "RandomForest", "ExtremeRandomTrees", "GradientBoosting", "DecisionTree", "KNN",
                 "LassoLars", "SGD"),
}
SIMULATED[FORECASTING] = SIMULATED[REGRESSION]

# The planned trials, in order: (scaler, algorithm, hyperparameters). A second round varies the settings.
PLAN = {
    CLASSIFICATION: (
        ("MaxAbsScaler", "LogisticRegression", {}),
        ("StandardScaler", "RandomForest", {}),
        ("MaxAbsScaler", "ExtremeRandomTrees", {}),
        ("MinMaxScaler", "GradientBoosting", {}),
        ("StandardScaler", "SGD", {}),
        ("MaxAbsScaler", "DecisionTree", {"max_depth": 8}),
        ("MinMaxScaler", "KNN", {"n_neighbors": 15}),
        ("MinMaxScaler", "BernoulliNaiveBayes", {}),
        ("RobustScaler", "RandomForest", {"max_features": 0.5, "min_samples_leaf": 2}),
        ("StandardScaler", "LogisticRegression", {"C": 10.0}),
        ("RobustScaler", "ExtremeRandomTrees", {"max_features": 0.7, "min_samples_leaf": 2}),
        ("MaxAbsScaler", "GradientBoosting", {"learning_rate": 0.05, "max_depth": 5}),
        ("MinMaxScaler", "MultinomialNaiveBayes", {}),
        ("StandardScaler", "DecisionTree", {"max_depth": None, "min_samples_leaf": 5}),
        ("StandardScaler", "KNN", {"n_neighbors": 5}),
    ),
    REGRESSION: (
        ("MaxAbsScaler", "ElasticNet", {}),
        ("StandardScaler", "RandomForest", {}),
        ("MaxAbsScaler", "ExtremeRandomTrees", {}),
        ("MinMaxScaler", "GradientBoosting", {}),
        ("StandardScaler", "DecisionTree", {"max_depth": 8}),
        ("MinMaxScaler", "KNN", {"n_neighbors": 10}),
        ("StandardScaler", "LassoLars", {}),
        ("StandardScaler", "SGD", {}),
        ("RobustScaler", "RandomForest", {"max_features": 0.5, "min_samples_leaf": 2}),
        ("RobustScaler", "ExtremeRandomTrees", {"max_features": 0.7, "min_samples_leaf": 2}),
        ("MaxAbsScaler", "GradientBoosting", {"learning_rate": 0.05, "max_depth": 5}),
        ("StandardScaler", "ElasticNet", {"alpha": 0.1, "l1_ratio": 0.2}),
    ),
}


PLAN[FORECASTING] = PLAN[REGRESSION]


def all_names(task: str) -> tuple[str, ...]:
    """Every algorithm name Azure knows for the task (simulated or not)."""
    return SIMULATED[task] + UNSIMULATED[task]


def trials(task: str, allowed: list[str] | None, blocked: list[str]) -> list[tuple[str, str, dict]]:
    """The planned trials for the task once the allowed and blocked algorithms are applied."""
    keep = [step for step in PLAN[task] if step[1] not in blocked and (not allowed or step[1] in allowed)]
    return keep


def estimator(task: str, algorithm: str, params: dict, seed: int = 0):
    """A fresh scikit-learn model for an algorithm name (trees and linear models seeded, so reruns agree)."""
    from sklearn import ensemble, linear_model, naive_bayes, neighbors, tree

    if task == CLASSIFICATION:
        makers = {
            "LogisticRegression": lambda: linear_model.LogisticRegression(max_iter=500, **params),
            "RandomForest": lambda: ensemble.RandomForestClassifier(**{"n_estimators": 50, **params},
                                                                    random_state=seed, n_jobs=1),
            "ExtremeRandomTrees": lambda: ensemble.ExtraTreesClassifier(**{"n_estimators": 50, **params},
                                                                        random_state=seed, n_jobs=1),
            "GradientBoosting": lambda: ensemble.GradientBoostingClassifier(**{"n_estimators": 60, **params},
                                                                            random_state=seed),
            "SGD": lambda: linear_model.SGDClassifier(loss="log_loss", random_state=seed, **params),
            "DecisionTree": lambda: tree.DecisionTreeClassifier(random_state=seed, **params),
            "KNN": lambda: neighbors.KNeighborsClassifier(**params),
            "BernoulliNaiveBayes": lambda: naive_bayes.BernoulliNB(**params),
            "MultinomialNaiveBayes": lambda: naive_bayes.MultinomialNB(**params),
        }
    else:
        makers = {
            "ElasticNet": lambda: linear_model.ElasticNet(**params),
            "RandomForest": lambda: ensemble.RandomForestRegressor(**{"n_estimators": 50, **params},
                                                                   random_state=seed, n_jobs=1),
            "ExtremeRandomTrees": lambda: ensemble.ExtraTreesRegressor(**{"n_estimators": 50, **params},
                                                                       random_state=seed, n_jobs=1),
            "GradientBoosting": lambda: ensemble.GradientBoostingRegressor(**{"n_estimators": 60, **params},
                                                                           random_state=seed),
            "DecisionTree": lambda: tree.DecisionTreeRegressor(random_state=seed, **params),
            "KNN": lambda: neighbors.KNeighborsRegressor(**params),
            "LassoLars": lambda: linear_model.LassoLars(**params),
            "SGD": lambda: linear_model.SGDRegressor(random_state=seed, **params),
        }
    return makers[algorithm]()


def scaler(name: str):
    """A fresh scikit-learn scaler for a scaler name."""
    from sklearn import preprocessing

    return {"MaxAbsScaler": preprocessing.MaxAbsScaler, "StandardScaler": preprocessing.StandardScaler,
            "MinMaxScaler": preprocessing.MinMaxScaler, "RobustScaler": preprocessing.RobustScaler}[name]()


def metric_key(text: str) -> str:
    """A metric name compared loosely: 'AUC_weighted', 'AUCWeighted' and 'auc_weighted' are the same metric."""
    return str(text or "").replace("_", "").lower()
