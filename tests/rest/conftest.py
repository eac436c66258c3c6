"""Shared set-up of the SDK v2 contract tests: the real azure-ai-ml against the simulated service."""

from __future__ import annotations

import pytest

import sim
from sim.cloud import workspaces

SUB = "00000000-0000-0000-0000-000000000000"
RG = "rg-dp100"
WS = "mlw-dp100"


@pytest.fixture(scope="module", autouse=True)
def sim_active():
    """Activate the simulator (import hooks, transport, credentials) for a test module."""
    was_active = sim.is_active()
    sim.activate()
    yield
    if not was_active:
        sim.deactivate()


@pytest.fixture
def workspace(dp100_home):
    """A fresh workspace in this test's DP100_HOME (the record of sim.cloud)."""
    return workspaces.create(SUB, RG, WS, location="eastus")


@pytest.fixture
def ml_client(workspace):
    """An MLClient for the fresh workspace, built as lab code builds it."""
    from azure.ai.ml import MLClient
    from azure.ai.ml.constants._endpoint import EndpointInvokeFields
    from azure.identity import DefaultAzureCredential

    # azure-ai-ml keeps the last invoke's deployment in a class-level header dict: a test that ran earlier in this
    # worker process must not pick the deployment of this test's invoke.
    EndpointInvokeFields.DEFAULT_HEADER.pop("azureml-model-deployment", None)
    return MLClient(DefaultAzureCredential(), SUB, RG, WS)
