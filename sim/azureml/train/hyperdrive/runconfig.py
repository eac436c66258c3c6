"""Simulated `azureml.train.hyperdrive.runconfig`: `HyperDriveConfig` and `PrimaryMetricGoal`."""

from __future__ import annotations

import enum

from sim.azureml._common.not_simulated import not_simulated
from sim.azureml.train.hyperdrive.exceptions import HyperDriveConfigException
from sim.azureml.train.hyperdrive.policy import EarlyTerminationPolicy, NoTerminationPolicy
from sim.azureml.train.hyperdrive.sampling import BayesianParameterSampling, HyperParameterSampling


class PrimaryMetricGoal(enum.Enum):
    """Whether the sweep looks for the largest or the smallest primary metric."""

    MAXIMIZE = "MAXIMIZE"
    MINIMIZE = "MINIMIZE"


class HyperDriveConfig:
    """What a HyperDrive sweep runs: a script, a search space, a policy, a metric and limits.

    Args:
        hyperparameter_sampling: a GridParameterSampling, RandomParameterSampling or BayesianParameterSampling.
        primary_metric_name: the metric the children log with `run.log(name, value)`.
        primary_metric_goal: PrimaryMetricGoal.MAXIMIZE or MINIMIZE.
        max_total_runs: the most children the sweep starts (fewer when the space is smaller).
        max_concurrent_runs: the most children running at once (None: all at once).
        max_duration_minutes: after this the sweep and its running children are canceled.
        policy: an early termination policy (None: no early termination).
        estimator: a (deprecated) Estimator: its ScriptRunConfig is swept, as run_config would be.
        run_config: the ScriptRunConfig each child runs, with the sampled values added as arguments.
        resume_from: not simulated.
        resume_child_runs: not simulated.
        pipeline: not simulated.
        debug_flag: accepted for parity.
        custom_run_id: accepted for parity.

    Raises:
        HyperDriveConfigException: for a setting the service would refuse.
    """

    def __init__(self, hyperparameter_sampling, primary_metric_name, primary_metric_goal, max_total_runs,
                 max_concurrent_runs=None, max_duration_minutes=10080, policy=None, estimator=None,
                 run_config=None, resume_from=None, resume_child_runs=None, pipeline=None, debug_flag=None,
                 custom_run_id=None):
        _refuse_unsimulated(resume_from, resume_child_runs, pipeline)
        if estimator is not None and run_config is not None:
            raise HyperDriveConfigException("Give HyperDriveConfig either run_config (a ScriptRunConfig) or the "
                                            "deprecated estimator, not both.")
        self._estimator = estimator
        self._run_config = _checked_run_config(run_config if run_config is not None or estimator is None
                                               else getattr(estimator, "_script_run_config", estimator))
        self._sampling = _checked_sampling(hyperparameter_sampling)
        self._policy = _checked_policy(policy, hyperparameter_sampling)
        self._primary_metric_name = _checked_metric_name(primary_metric_name)
        self._primary_metric_goal = _checked_goal(primary_metric_goal)
        self._max_total_runs = _checked_count("max_total_runs", max_total_runs)
        self._max_concurrent_runs = None if max_concurrent_runs is None else \
            _checked_count("max_concurrent_runs", max_concurrent_runs)
        self._max_duration_minutes = _checked_count("max_duration_minutes", max_duration_minutes)
        self._debug_flag = debug_flag
        self._custom_run_id = custom_run_id

    @property
    def estimator(self):
        """The estimator given instead of run_config (None when run_config was given)."""
        return self._estimator

    @property
    def pipeline(self):
        """The pipeline (always None: pipelines are not simulated here)."""
        return None

    @property
    def run_config(self):
        """The ScriptRunConfig each child runs."""
        return self._run_config

    @property
    def source_directory(self):
        """The source folder of the script the children run."""
        return self._run_config.source_directory

    def _settings(self) -> dict:
        """What the service records about the sweep (read back by `lifecycle.sweep_settings`)."""
        return {"sampling": self._sampling.SAMPLING_NAME.lower().replace("bayesianoptimization", "bayesian"),
                "parameter_space": self._sampling._parameter_space,
                "policy": None if isinstance(self._policy, NoTerminationPolicy) else self._policy.POLICY_NAME.lower(),
                "policy_settings": self._policy._properties,
                "primary_metric_name": self._primary_metric_name,
                "primary_metric_goal": self._primary_metric_goal.value,
                "max_total_runs": self._max_total_runs, "max_concurrent_runs": self._max_concurrent_runs,
                "max_duration_minutes": self._max_duration_minutes}

    def _submit_to(self, experiment, tags=None, **kwargs):
        """Start the sweep in `experiment` (called by `Experiment.submit`); returns the HyperDriveRun."""
        from sim.azureml.train.hyperdrive import _sweep
        from sim.azureml.train.hyperdrive.run import HyperDriveRun

        run_id = _sweep.start(experiment, self, tags)
        return HyperDriveRun(experiment, run_id, hyperdrive_config=self)


class HyperDriveRunConfig(HyperDriveConfig):
    """DEPRECATED (use HyperDriveConfig with run_config): a sweep over an estimator; not simulated."""

    def __new__(cls, estimator, hyperparameter_sampling, primary_metric_name, primary_metric_goal, max_total_runs,
                max_concurrent_runs=None, max_duration_minutes=10080, policy=None):
        not_simulated("HyperDriveRunConfig (estimators); use HyperDriveConfig(run_config=ScriptRunConfig(...))")


def _refuse_unsimulated(resume_from, resume_child_runs, pipeline) -> None:
    for name, value in (("resume_from", resume_from),
                        ("resume_child_runs", resume_child_runs), ("pipeline", pipeline)):
        if value is not None:
            not_simulated(f"HyperDriveConfig({name}=...)")


def _checked_run_config(run_config):
    from sim.azureml.core.script_run_config import ScriptRunConfig

    if not isinstance(run_config, ScriptRunConfig):
        raise HyperDriveConfigException("HyperDriveConfig needs run_config=ScriptRunConfig(...) describing the "
                                        f"training script; got {type(run_config).__name__}.")
    return run_config


def _checked_sampling(sampling):
    if not isinstance(sampling, HyperParameterSampling):
        raise HyperDriveConfigException("hyperparameter_sampling must be a GridParameterSampling, "
                                        "RandomParameterSampling or BayesianParameterSampling; "
                                        f"got {type(sampling).__name__}.")
    return sampling


def _checked_policy(policy, sampling):
    if policy is None:
        return NoTerminationPolicy()
    if not isinstance(policy, EarlyTerminationPolicy):
        raise HyperDriveConfigException("policy must be an early termination policy such as BanditPolicy(...) "
                                        f"or None; got {type(policy).__name__}.")
    if isinstance(sampling, BayesianParameterSampling) and not isinstance(policy, NoTerminationPolicy):
        raise HyperDriveConfigException("No early termination policy is supported with Bayesian sampling: "
                                        "pass policy=None (or NoTerminationPolicy()).")
    return policy


def _checked_metric_name(name):
    if not isinstance(name, str) or not name:
        raise HyperDriveConfigException(f"primary_metric_name must be the name of a logged metric; got {name!r}.")
    return name


def _checked_goal(goal):
    if isinstance(goal, str) and goal.upper() in PrimaryMetricGoal.__members__:
        return PrimaryMetricGoal[goal.upper()]
    if not isinstance(goal, PrimaryMetricGoal):
        raise HyperDriveConfigException("primary_metric_goal must be PrimaryMetricGoal.MAXIMIZE or "
                                        f"PrimaryMetricGoal.MINIMIZE; got {goal!r}.")
    return goal


def _checked_count(name, value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise HyperDriveConfigException(f"{name} must be a positive integer; got {value!r}.")
    return value


__all__ = ["HyperDriveConfig", "HyperDriveRunConfig", "PrimaryMetricGoal"]
