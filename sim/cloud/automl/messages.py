"""The AutoML engine's error and report sentences (each says what was wrong and what to do)."""

TASK_INVALID = ("AutoML task '{task}' is not known: use 'classification', 'regression' or 'forecasting'.")
METRIC_INVALID = ("Primary metric '{metric}' is not supported for {task}; use one of: {choices}.")
LABEL_REQUIRED = "An AutoML job needs the name of its target (label) column: set target_column_name/label_column_name."
LABEL_MISSING = ("The target column '{label}' is not in the training data; its columns are: {columns}.")
DATA_REQUIRED = "An AutoML job needs training data (an MLTable data asset or a TabularDataset)."
DATA_EMPTY = "The training data has no rows, or no columns besides the target '{label}'; AutoML has nothing to learn."
LABEL_HAS_NULLS = ("The target column '{label}' has {count} missing values; remove those rows or fill them "
                   "before training.")
TOO_FEW_CLASSES = ("The target column '{label}' has only one class ({value!r}); classification needs at least two.")
ALGORITHM_UNKNOWN = ("'{name}' is not an AutoML {task} algorithm; the names are: {choices}.")
ONLY_UNSIMULATED = ("The allowed algorithms ({names}) are not simulated here (only scikit-learn models are); allow "
                    "one of: {choices}.")
NOTHING_LEFT = ("Every simulated {task} algorithm is blocked; unblock at least one of: {choices}.")
LIMIT_INVALID = "AutoML limit '{limit}' must be a positive number, not {value!r}."
CV_INVALID = "n_cross_validations must be an integer of at least 2 (or 'auto'), not {value!r}."
CV_AND_SIZE = ("Set either n_cross_validations or validation_data_size (validation_size), not both; AutoML "
               "validates one way.")
SIZE_INVALID = "validation_data_size must be a fraction between 0 and 1 (e.g. 0.2), not {value!r}."
CV_TOO_MANY = "n_cross_validations={folds} is more than the {rows} training rows allow; use fewer folds."
FEATURIZATION_INVALID = ("Featurization '{mode}' is not simulated: use 'auto' or 'off' (a custom "
                         "FeaturizationConfig is not simulated here).")
OFF_WITH_NULLS = ("Featurization is 'off' but the training data has missing values in {columns}; turn "
                  "featurization on ('auto') so AutoML imputes them, or clean the data first.")
OFF_WITH_TEXT = ("Featurization is 'off' but the columns {columns} are not numeric; turn featurization on "
                 "('auto') so AutoML encodes them, or encode them yourself first.")
VALIDATION_COLUMNS = ("The validation data lacks the columns {columns} that the training data has; give both the "
                      "same columns.")
TRIAL_TIMED_OUT = "The trial ran longer than its trial timeout of {minutes:g} minutes and was stopped."
EXPERIMENT_TIMED_OUT = "The experiment timeout of {minutes:g} minutes was reached; no further trials were started."
NO_TRIAL_COMPLETED = "No AutoML trial completed: {reason}"
DRIVER_LOST = "The AutoML job's driver process ended before the job finished."
JOB_EXISTS = "A job named '{name}' already exists in this workspace; choose another name."
INPUT_NOT_MLTABLE = ("AutoML tabular data must be an MLTable input (type mltable), not '{kind}'; register the data "
                     "as an MLTable data asset.")
NOT_AUTOML = "Job '{name}' is not an AutoML job."
ENSEMBLES_SKIPPED = ("Ensemble iterations skipped: they need at least two completed trials, and {count} "
                     "completed.")
TIME_COLUMN_REQUIRED = ("A forecasting job needs the name of its time column: set time_column_name (v1 "
                        "ForecastingParameters, v2 set_forecast_settings).")
FORECAST_NO_SPLIT = ("A forecasting job validates on rolling origins or on validation data, not on a random "
                     "validation_size split; set n_cross_validations or validation_data.")
FORECAST_PERIODS = "{name} must be a whole number of periods of at least 1 (or 'auto'), not {value!r}."
FORECAST_COLUMNS_MISSING = "The columns {columns} are not in the training data; its columns are: {found}."
FORECAST_BAD_TIMES = ("The time column '{column}' has {count} values that are not dates or times; fix or remove "
                      "those rows.")
FORECAST_DUPLICATE_TIMES = ("The time column '{column}' repeats a time within a series; give each series one row per "
                            "time (aggregating duplicates is not simulated), or name the series with "
                            "time_series_id_column_names.")
FORECAST_TOO_SHORT = ("The series are too short: {rows} periods, and the lags, forecast horizon and rolling-origin "
                      "folds need at least {needed}; use fewer folds, fewer lags or a shorter horizon.")
FORECAST_UNKNOWN_SERIES = "The model has no history for the series {series}; it forecasts only series it trained on."
FORECAST_OUT_OF_HORIZON = ("{time} is not within the forecast horizon ({horizon} periods after the training data, "
                           "from {start} exclusive to {end}); forecast only those times.")
RUN_ID_NOT_AUTOML = "An AutoML run's id must start with '{prefix}', not '{run_id}'; let the SDK name the run."
DATA_REFERENCE_UNKNOWN = ("AutoML's {role} must be a TabularDataset or a pandas DataFrame; make one with "
                          "Dataset.Tabular.from_delimited_files(...).")
DATA_NOT_PARQUET = ("AutoML's {role} arrived as bytes that are not a Parquet table ({problem}); pass a TabularDataset "
                    "or a pandas DataFrame.")
ITERATION_INVALID = "An AutoML iteration is a whole number (0, 1, ...), not {value!r}."
