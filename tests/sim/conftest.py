"""Shared set-up of the simulator tests."""

from __future__ import annotations

import pytest

import sim

SUB = "00000000-0000-0000-0000-000000000000"  # the simulated subscription the labs use


@pytest.fixture(scope="module")
def sim_active():
    """Activate the simulator for a test module, and leave the next module the state this one found."""
    was_active = sim.is_active()
    sim.activate()
    yield
    if not was_active:
        sim.deactivate()
