"""`opendp.smartnoise.core`: analyses of differentially private statistics (the API of SmartNoise-core 0.2).

`with sn.Analysis() as analysis:` collects a dataset, casts and private statistics; `analysis.release()` draws
their noise (real OpenDP measurements) and each statistic's `.value` then holds the released number.
"""

from sim.smartnoise.core._analysis import Analysis, Component, Dataset
from sim.smartnoise.core._statistics import (
    clamp,
    dp_count,
    dp_covariance,
    dp_histogram,
    dp_mean,
    dp_sum,
    dp_variance,
    resize,
    to_bool,
    to_float,
    to_int,
)

__all__ = ["Analysis", "Component", "Dataset", "clamp", "dp_count", "dp_covariance", "dp_histogram", "dp_mean",
           "dp_sum", "dp_variance", "resize", "to_bool", "to_float", "to_int"]
