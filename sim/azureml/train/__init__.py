"""Simulated `azureml.train` (SDK v1): `azureml.train.hyperdrive` and `azureml.train.automl` are simulated."""
