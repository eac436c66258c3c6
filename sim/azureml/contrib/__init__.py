"""Simulated `azureml.contrib`: the contributed packages the simulator serves (`azureml.contrib.fairness`)."""
