"""An analysis and its components: the graph a SmartNoise-core notebook builds inside `with sn.Analysis():`.

Components are lazy, as in the original library: building `sn.dp_mean(...)` inside the `with` block only records
it; `analysis.release()` evaluates every private statistic once, adding its noise, and from then on its `.value`
holds the released number. Raw data and casts are never released (asking for their `.value` says so).
"""

from __future__ import annotations

import contextvars

import numpy as np
import pandas as pd

from sim import messages

_current: contextvars.ContextVar = contextvars.ContextVar("smartnoise_analysis", default=None)


class Analysis:
    """A differentially private analysis: the components made inside its `with` block, released together."""

    def __init__(self, dynamic=True, eager=False, neighboring="substitute", group_size=1, filter_level="public",
                 protect_floating_point=True, stack_traces=True):
        if neighboring not in ("substitute", "add_remove"):
            raise ValueError(messages.DP_NEIGHBORING.format(value=neighboring))
        self.neighboring = neighboring
        self.group_size = int(group_size)
        self.filter_level = filter_level
        self.components: list[Component] = []
        self.released = False
        self._token = None

    def __enter__(self) -> Analysis:
        self._token = _current.set(self)
        return self

    def __exit__(self, *exc_info) -> None:
        _current.reset(self._token)

    def release(self) -> None:
        """Evaluate every private statistic not released yet, each with its own noise."""
        for component in self.components:
            if component.private and not component.released:
                component.release()
        self.released = True

    @property
    def privacy_usage(self) -> dict:
        """The budget the released statistics spent in total: {'epsilon': ..., 'delta': ...}."""
        spent = [c.usage for c in self.components if c.private and c.released]
        return {"epsilon": float(sum(u[0] for u in spent)), "delta": float(sum(u[1] for u in spent))}

    def report(self) -> list[dict]:
        """One entry per released statistic: its name, value and privacy usage."""
        return [{"name": c.name, "value": c.value, "privacy_usage": {"epsilon": c.usage[0], "delta": c.usage[1]}}
                for c in self.components if c.private and c.released]

    def _add(self, component: Component) -> None:
        self.components.append(component)


def current_analysis() -> Analysis:
    """The analysis of the enclosing `with sn.Analysis():` block; a clear error outside one."""
    found = _current.get()
    if found is None:
        raise RuntimeError(messages.DP_OUTSIDE_ANALYSIS)
    return found


class Component:
    """One node of the analysis: data, a cast, a clamp or resize, or a private statistic.

    `properties` carries what the original library inferred about the data along the graph (lower, upper, rows),
    so a statistic takes its bounds from an earlier `clamp`/`resize` when its own arguments leave them out.
    """

    def __init__(self, name: str, compute, properties: dict | None = None, private: bool = False, usage=None):
        self.name = name
        self._compute = compute
        self.properties = dict(properties or {})
        self.private = private
        self.usage = usage or (0.0, 0.0)
        self.released = False
        self._released_value = None
        self.analysis = current_analysis()
        self.analysis._add(self)

    def data(self):
        """The component's (non-private) values, computed when first needed."""
        if not hasattr(self, "_data"):
            self._data = self._compute()
        return self._data

    def release(self) -> None:
        """Compute the private statistic (its noise is drawn here, once)."""
        self._released_value = self.data()
        self.released = True

    @property
    def value(self):
        """The released value of a private statistic (after `analysis.release()`)."""
        if not self.private:
            raise ValueError(messages.DP_NOT_PRIVATE.format(name=self.name))
        if not self.released:
            raise ValueError(messages.DP_NOT_RELEASED.format(name=self.name))
        return self._released_value

    @property
    def releasable(self) -> bool:
        return self.private

    def __getitem__(self, column):
        """A column of a dataset (as text, the way the original library reads CSV cells)."""
        def pick():
            table = self.data()
            if column not in table:
                raise KeyError(messages.DP_COLUMN_UNKNOWN.format(column=column, known=", ".join(map(str, table))))
            return table[column]
        return Component(f"{self.name}[{column!r}]", pick, self.properties)

    def __repr__(self) -> str:
        return f"<Component {self.name}{' (released)' if self.released else ''}>"


def Dataset(path=None, value=None, column_names=None, skip_row=True, value_format=None, public=False):  # noqa: N802
    """A table to analyse: a CSV file (`path`, first row skipped as the header) or in-memory `value`.

    Cells are kept as text, as in the original library, so a statistic needs a cast first (`to_float`, `to_int`).
    """
    if (path is None) == (value is None):
        raise ValueError(messages.DP_DATASET_SOURCE)

    def load() -> dict:
        frame = _read(path, value, column_names, skip_row)
        return {name: frame[name].to_numpy() for name in frame.columns}
    return Component("Dataset", load)


def _read(path, value, column_names, skip_row) -> pd.DataFrame:
    if path is not None:
        frame = pd.read_csv(path, dtype=str, header=None, skiprows=1 if skip_row else 0, keep_default_na=False)
    elif isinstance(value, pd.DataFrame):
        frame = value.astype(str).copy()
        frame.columns = range(frame.shape[1])
    else:
        frame = pd.DataFrame(np.asarray(value, dtype=str))
    names = list(column_names) if column_names is not None else [str(i) for i in range(frame.shape[1])]
    if len(names) != frame.shape[1]:
        raise ValueError(messages.DP_COLUMN_NAMES.format(names=len(names), columns=frame.shape[1]))
    frame.columns = names
    return frame
