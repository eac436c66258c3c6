"""Simulated `azureml.automl` (SDK v1): the parts of azureml-automl-core that AutoML notebooks import."""
