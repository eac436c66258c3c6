"""`azureml.datadrift._datadiff`: the metric types of a drift analysis."""

from __future__ import annotations

from enum import Enum

from sim import messages


class MetricType(Enum):
    """Whether a drift metric is about one column or the whole dataset."""

    column = 1
    dataset = 2


class Metric:
    """One metric of a drift analysis: its name, value and extended properties (e.g. the column it is about)."""

    def __init__(self, name, value, extended_properties, schema_version="1.0"):
        self.name, self.value, self.schema_version = name, value, schema_version
        self.extended_properties = dict(extended_properties or {})

    def add_extended_properties(self, ep):
        self.extended_properties.update(ep)

    def get_extended_properties(self):
        return dict(self.extended_properties)

    def validate_extended_properties_type(self, key, value):
        """Raise TypeError unless the property value is a plain JSON value."""
        if not isinstance(value, str | int | float | bool | type(None)):
            raise TypeError(messages.DRIFT_METRIC_PROPERTY.format(key=key, type_name=type(value).__name__))

    def __repr__(self) -> str:
        return f"Metric(name={self.name!r}, value={self.value!r}, extended_properties={self.extended_properties!r})"

    __str__ = __repr__
