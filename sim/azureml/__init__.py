"""The simulated Azure ML SDK v1 (`azureml`): module paths mirror the real packages.

After `sim.activate()`, `import azureml.core` gives `sim.azureml.core`. Importing this package alone
changes nothing for a real azureml-core installed alongside.
"""
