"""`opendp.smartnoise.sql`: SQL over a data frame, exactly (`PandasReader`) or with differential privacy
(`PrivateReader`, whose noise comes from real OpenDP measurements)."""

from sim.smartnoise.sql._readers import PandasReader, PrivateReader

__all__ = ["PandasReader", "PrivateReader"]
