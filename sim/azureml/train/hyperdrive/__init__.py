"""Simulated `azureml.train.hyperdrive` (SDK v1): hyperparameter sweeps over a training script.

`experiment.submit(HyperDriveConfig(...))` returns a `HyperDriveRun` at once; its children are real
script jobs run with the sampled values as `--name value` arguments, stopped early by the policy.
"""

from sim.azureml.train.hyperdrive.parameter_expressions import (
    choice,
    lognormal,
    loguniform,
    normal,
    qlognormal,
    qloguniform,
    qnormal,
    quniform,
    randint,
    uniform,
)
from sim.azureml.train.hyperdrive.policy import (
    BanditPolicy,
    EarlyTerminationPolicy,
    MedianStoppingPolicy,
    NoTerminationPolicy,
    TruncationSelectionPolicy,
)
from sim.azureml.train.hyperdrive.run import HyperDriveRun
from sim.azureml.train.hyperdrive.runconfig import HyperDriveConfig, HyperDriveRunConfig, PrimaryMetricGoal
from sim.azureml.train.hyperdrive.sampling import (
    BayesianParameterSampling,
    GridParameterSampling,
    HyperParameterSampling,
    RandomParameterSampling,
)

__all__ = ["BanditPolicy", "BayesianParameterSampling", "EarlyTerminationPolicy", "GridParameterSampling",
           "HyperDriveConfig", "HyperDriveRun", "HyperDriveRunConfig", "HyperParameterSampling",
           "MedianStoppingPolicy", "NoTerminationPolicy", "PrimaryMetricGoal", "RandomParameterSampling",
           "TruncationSelectionPolicy", "choice", "lognormal", "loguniform", "normal", "qlognormal", "qloguniform",
           "qnormal", "quniform", "randint", "uniform"]
