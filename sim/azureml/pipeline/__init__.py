"""Simulated ``azureml.pipeline``: SDK v1 pipelines (``azureml.pipeline.core``, ``azureml.pipeline.steps``).

The steps run on the service's pipeline engine (``sim.cloud.pipelines``), the same one SDK v2 pipeline jobs run
on: a step is a child script run of the pipeline run, started when the steps whose outputs it reads have
completed, and reused when nothing it depends on changed.
"""
