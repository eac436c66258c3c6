"""`interpret.ext.blackbox`: the model-agnostic explainers (`TabularExplainer`)."""

from sim.interpret._tabular import TabularExplainer

__all__ = ["TabularExplainer"]
