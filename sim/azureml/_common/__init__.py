"""Internal helpers shared by the simulated SDK modules (mirrors `azureml._common`)."""
