"""Column expressions for ``TabularDataset.filter`` (what dataprep expressions do in the real SDK).

``dataset['Age'] > 30`` builds ``["gt", ["col", "Age"], ["lit", 30]]``, a JSON tree stored in the
definition and evaluated by :func:`sim.cloud.data_engine.evaluate`.
"""

from __future__ import annotations

import datetime as _dt

from sim.azureml._common.not_simulated import not_simulated

_ARITHMETIC = {"add", "sub", "mul", "div"}
_CONDITION_HINT = "e.g. (ds['Age'] > 30) & (ds['BMI'] < 25)"


def _literal(value):
    """A JSON-safe literal node: the tree is stored in the dataset definition (registered datasets too)."""
    if isinstance(value, (_dt.datetime, _dt.date)):  # pandas Timestamps are datetimes too
        return ["time", value.isoformat()]
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict, str)):  # numpy scalars
        return ["lit", value.item()]
    return ["lit", value]


def _tree(value):
    return value.tree if isinstance(value, ColumnExpression) else _literal(value)


def _condition(value, operator: str):
    """The tree of an operand of &, | or ~, which must be a condition built from columns."""
    if not isinstance(value, ColumnExpression) or value.tree[0] in _ARITHMETIC:
        shown = type(value).__name__ if not isinstance(value, ColumnExpression) else "an arithmetic expression"
        raise TypeError(f"The operator {operator} combines conditions on dataset columns, not {shown}; "
                        f"compare first, {_CONDITION_HINT}.")
    return value.tree


def _text(value, method: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{method} expects a string, not {type(value).__name__}; pass the text to look for, "
                        f"e.g. ds['Name'].{method}('A').")
    return value


class ColumnExpression:
    """An expression over the columns of a tabular dataset."""

    def __init__(self, tree):
        """Wrap an expression tree.

        Raises:
            TypeError: a column is named by something other than a string (e.g. ``ds[0]`` or ``ds[['Age']]``).
        """
        if tree[0] == "col" and not isinstance(tree[1], str):
            raise TypeError(f"A dataset column is named by a string, not {type(tree[1]).__name__}; "
                            "use one column name, e.g. ds['Age'].")
        self.tree = tree

    def _binary(self, op, other):
        return ColumnExpression([op, self.tree, _tree(other)])

    def __eq__(self, other):  # noqa: D105 - operators build expressions
        return self._binary("eq", other)

    def __ne__(self, other):
        return self._binary("ne", other)

    def __lt__(self, other):
        return self._binary("lt", other)

    def __le__(self, other):
        return self._binary("le", other)

    def __gt__(self, other):
        return self._binary("gt", other)

    def __ge__(self, other):
        return self._binary("ge", other)

    def __and__(self, other):
        return ColumnExpression(["and", _condition(self, "&"), _condition(other, "&")])

    def __or__(self, other):
        return ColumnExpression(["or", _condition(self, "|"), _condition(other, "|")])

    def __add__(self, other):
        return self._binary("add", other)

    def __sub__(self, other):
        return self._binary("sub", other)

    def __mul__(self, other):
        return self._binary("mul", other)

    def __truediv__(self, other):
        return self._binary("div", other)

    def __floordiv__(self, other):
        not_simulated("The // operator in dataset expressions")

    def __mod__(self, other):
        not_simulated("The % operator in dataset expressions")

    def __pow__(self, other):
        not_simulated("The ** operator in dataset expressions")

    def __invert__(self):
        return ColumnExpression(["not", _condition(self, "~")])

    __hash__ = None

    def is_in(self, values):
        """True where the value is one of ``values``."""
        if isinstance(values, (str, bytes)):
            raise TypeError(f"is_in expects a list of values, not the string {values!r}; "
                            f"write ds['column'].is_in([{values!r}]).")
        return ColumnExpression(["isin", self.tree, [_literal(v)[1] for v in values]])

    def is_null(self):
        """True where the value is missing."""
        return ColumnExpression(["is_null", self.tree])

    def is_error(self):
        """Not simulated: error values (the simulator reads unparsable values as missing)."""
        not_simulated("RecordFieldExpression.is_error")

    def starts_with(self, prefix):
        """True where the text starts with ``prefix``."""
        return ColumnExpression(["starts_with", self.tree, _text(prefix, "starts_with")])

    def ends_with(self, suffix):
        """True where the text ends with ``suffix``."""
        return ColumnExpression(["ends_with", self.tree, _text(suffix, "ends_with")])

    def contains(self, text):
        """True where the text contains ``text``."""
        return ColumnExpression(["contains", self.tree, _text(text, "contains")])

    def __bool__(self):
        raise RuntimeError("Dataset expressions cannot be used with 'and', 'or', 'not', 'if' or chained "
                           f"comparisons like 30 < ds['Age'] < 60; combine conditions with &, | and ~, "
                           f"{_CONDITION_HINT}.")
