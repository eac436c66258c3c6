"""Simulated `azureml.train.hyperdrive.run`: `HyperDriveRun`, the parent run of a sweep."""

from __future__ import annotations

import json

import sim.cloud.runs.jobs
import sim.cloud.runs.lifecycle
import sim.cloud.runs.metrics
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service
from sim.azureml.core.run import Run
from sim.azureml.train.hyperdrive import _sweep
from sim.azureml.train.hyperdrive.runconfig import PrimaryMetricGoal  # noqa: F401  (the real module defines it here)
from sim.cloud.runs import state  # its state names only: every read goes through the routed modules

jobs, lifecycle, metrics = (v1_service(module) for module in (
    sim.cloud.runs.jobs, sim.cloud.runs.lifecycle, sim.cloud.runs.metrics))


class HyperDriveRun(Run):
    """The parent run of a HyperDrive sweep; its children are the trials (`HD_<guid>_<n>`).

    Args:
        experiment: the experiment that holds the run.
        run_id: the sweep's run id (`HD_<guid>`).
        hyperdrive_config: the HyperDriveConfig it was submitted with (None when rebuilt from the service).

    Raises:
        HyperDriveRehydrateException: when `run_id` is not a HyperDrive run.
    """

    RUN_TYPE = _sweep.RUN_TYPE
    HYPER_DRIVE_RUN_USER_AGENT = "sdk_run_hyper_drive"

    def __init__(self, experiment, run_id, hyperdrive_config=None, **kwargs):
        super().__init__(experiment, run_id, **kwargs)
        if self._row["run_type"] != self.RUN_TYPE:
            from sim.azureml.train.hyperdrive.exceptions import HyperDriveRehydrateException

            raise HyperDriveRehydrateException(f"Run '{run_id}' is a '{self._row['run_type']}' run, not a HyperDrive "
                                               "run; open it with Run(experiment, run_id).")
        self._hyperdrive_config = hyperdrive_config
        self._sweep_settings = None

    @property
    def hyperdrive_config(self):
        """The HyperDriveConfig the sweep was submitted with."""
        if self._hyperdrive_config is None:
            not_simulated("HyperDriveRun.hyperdrive_config of a run rebuilt from the service")
        return self._hyperdrive_config

    def _settings(self) -> dict:
        if self._sweep_settings is None:  # recorded once at submit: read once per object
            self._sweep_settings = lifecycle.sweep_settings(self._record, self._run_id)
        return self._sweep_settings

    def cancel(self):
        """Cancel the sweep and its unfinished children; returns True."""
        _sweep.cancel(self._record, self._run_id)
        return True

    def fail(self):
        """Not simulated: a HyperDrive run fails by itself (its children failing), not by hand."""
        not_simulated("HyperDriveRun.fail")

    def get_diagnostics(self):
        """Not simulated: the service's diagnostics bundle of a sweep."""
        not_simulated("HyperDriveRun.get_diagnostics")

    def wait_for_completion(self, show_output=False, wait_post_processing=False, raise_on_error=True):
        """Block until the sweep finishes; returns its details.

        Args:
            show_output: print each child's status as it changes, then a summary.
            wait_post_processing: accepted for parity.
            raise_on_error: raise ActivityFailedException when the sweep failed.
        """
        seen: dict[str, str] = {}

        def report():
            for row in lifecycle.list_runs(self._record, self._experiment.name, parent_run_id=self._run_id)[::-1]:
                if seen.get(row["run_id"]) != row["status"]:
                    seen[row["run_id"]] = row["status"]
                    print(f"{row['run_id']}: {row['status']}", flush=True)

        if show_output:
            print(f"RunId: {self._run_id}\nWeb View: {self.get_portal_url()}\n", flush=True)
        jobs.wait(self._record, self._run_id, on_tick=report if show_output else None)
        details = self.get_details()
        if show_output:
            report()
            print(f"\nExecution Summary\n=================\nRunId: {self._run_id}\nStatus: {details['status']}\n",
                  flush=True)
        if raise_on_error and details["status"] == state.FAILED:
            from sim.azureml.exceptions import ActivityFailedException

            raise ActivityFailedException(error_details=json.dumps(details.get("error", {}), indent=4))
        return details

    def get_hyperparameters(self):
        """{child run id: {parameter name: sampled value}} for every child."""
        return {child.id: json.loads(child.get_tags().get("hyperparameters", "{}")) for child in self.get_children()}

    def get_metrics(self):
        """{child run id: that child's metrics} for every child."""
        metrics.flush_all()
        return {child.id: child.get_metrics() for child in self.get_children()}

    def get_children_sorted_by_primary_metric(self, top=0, reverse=False, discard_no_metric=False):
        """The children best first, as dicts with run_id, hyperparameters, best_primary_metric and status.

        Args:
            top: only this many (0: all).
            reverse: worst first.
            discard_no_metric: leave out children that logged no primary metric.
        """
        maximize = self._settings()["primary_metric_goal"] == "MAXIMIZE"
        metrics.flush_all()
        rows = _sweep.sweeps.trial_summaries(self._record, self._run_id)  # one read of every child, by the service
        if discard_no_metric:
            rows = [r for r in rows if r["best_primary_metric"] is not None]
        scored = sorted((r for r in rows if r["best_primary_metric"] is not None),
                        key=lambda r: r["best_primary_metric"], reverse=maximize)
        ordered = scored + [r for r in rows if r["best_primary_metric"] is None]
        if reverse:
            ordered.reverse()
        return ordered[:top] if top else ordered

    def get_best_run_by_primary_metric(self, include_failed=True, include_canceled=True,
                                       include_resume_from_runs=True):
        """The child with the best primary metric (None when no child logged it).

        Args:
            include_failed: consider failed children too.
            include_canceled: consider canceled children (e.g. stopped by the policy) too.
            include_resume_from_runs: accepted for parity (resuming is not simulated).
        """
        left_out = {s for s, keep in ((state.FAILED, include_failed), (state.CANCELED, include_canceled)) if not keep}
        for row in self.get_children_sorted_by_primary_metric(discard_no_metric=True):
            if row["status"] not in left_out:
                return Run(self._experiment, row["run_id"])
        return None


Run.add_type_provider(HyperDriveRun.RUN_TYPE, HyperDriveRun)

__all__ = ["HyperDriveRun"]
