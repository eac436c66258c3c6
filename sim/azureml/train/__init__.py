"""Simulated `azureml.train` (SDK v1): only `azureml.train.hyperdrive` is simulated."""
