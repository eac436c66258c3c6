"""AutoML in the simulated service: classification, regression and forecasting over scikit-learn models, shared by
the SDK v1 face (`azureml.train.automl`) and the v2 REST service (`automl.classification(...)` jobs).

- `settings`: the job's settings checked, with Azure's defaults; `catalog`: algorithms, scalers, metrics, plan.
- `engine`: submit (the parent run and its driver process), trials, best trial, guardrails, cancel.
- `driver`: the trials within the limits; `trial`: one trial's fit, validation and saved model;
  `featurize`: featurization and data guardrails; `scoring`: metrics and validation; `explain`: permutation
  importance of the best model. `automl_jobs`: the v2 AutoML job on top of the engine.
- `forecasting`: lag features and rolling-origin validation for `task="forecasting"`; `ensemble` (with
`ensemble_models`): the VotingEnsemble and StackEnsemble iterations; `pool`: the trials' forked processes.
"""
