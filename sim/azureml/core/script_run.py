"""Simulated `azureml.core.script_run`: `ScriptRun`, what `experiment.submit(ScriptRunConfig)` returns."""

from __future__ import annotations

from sim.azureml.core.run import Run


class ScriptRun(Run):
    """A run of a submitted script (it moves Queued, Preparing, Running, then Completed or Failed).

    Args:
        experiment: the experiment that holds the run.
        run_id: the run's id.
        directory: accepted for parity (the source folder).
    """

    RUN_TYPE = "azureml.scriptrun"

    def __init__(self, experiment, run_id, directory=None, _run_config=None, **kwargs):
        super().__init__(experiment, run_id, **kwargs)
        self._run_config = _run_config

    def cancel(self):
        """Cancel the run; its script process (and anything it started) is stopped."""
        super().cancel()


__all__ = ["ScriptRun"]
