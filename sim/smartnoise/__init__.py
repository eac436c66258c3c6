"""`opendp.smartnoise` as Microsoft's DP-100 notebook 13 uses it, served over the maintained OpenDP library.

The notebook installs `opendp-smartnoise==0.1.4.2`, which no longer installs on Python 3.11, and imports
`opendp.smartnoise.core` (an `Analysis` of `dp_mean`, `dp_histogram`, `dp_covariance`...),
`opendp.smartnoise.metadata` (`CollectionMetadata` read from YAML) and `opendp.smartnoise.sql` (`PandasReader`,
`PrivateReader`). This package keeps those names and shapes; every released number gets its noise from a real OpenDP
measurement (`sim.smartnoise._noise`) calibrated to the epsilon asked for. The real package `opendp` stays what it
is: after `sim.activate()` the name `opendp.smartnoise` alone resolves here (see `sim._hook.ALIASES`).
"""
