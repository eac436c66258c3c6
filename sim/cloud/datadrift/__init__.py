"""Data drift monitoring (dataset monitors), as the service runs it: monitors (`monitors`), drift runs on a compute
cluster (`engine`, driven by `python -m sim.cloud.datadrift`), the comparison itself (`drift`) and the results kept
per period (`results`). SDK v1's `azureml.datadrift.DataDriftDetector` is its face."""
