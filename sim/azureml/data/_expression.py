"""Column expressions for ``TabularDataset.filter`` (what dataprep expressions do in the real SDK).

``dataset['Age'] > 30`` builds ``["gt", ["col", "Age"], ["lit", 30]]``, a JSON tree stored in the
definition and evaluated by :func:`sim.azureml.data._engine.evaluate`.
"""

from __future__ import annotations


def _tree(value):
    return value.tree if isinstance(value, ColumnExpression) else ["lit", value]


class ColumnExpression:
    """An expression over the columns of a tabular dataset."""

    def __init__(self, tree):
        """Wrap an expression tree."""
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
        return self._binary("and", other)

    def __or__(self, other):
        return self._binary("or", other)

    def __add__(self, other):
        return self._binary("add", other)

    def __sub__(self, other):
        return self._binary("sub", other)

    def __mul__(self, other):
        return self._binary("mul", other)

    def __truediv__(self, other):
        return self._binary("div", other)

    def __invert__(self):
        return ColumnExpression(["not", self.tree])

    __hash__ = None

    def is_in(self, values):
        """True where the value is one of ``values``."""
        return ColumnExpression(["isin", self.tree, list(values)])

    def is_null(self):
        """True where the value is missing."""
        return ColumnExpression(["is_null", self.tree])

    def starts_with(self, prefix):
        """True where the text starts with ``prefix``."""
        return ColumnExpression(["starts_with", self.tree, prefix])

    def ends_with(self, suffix):
        """True where the text ends with ``suffix``."""
        return ColumnExpression(["ends_with", self.tree, suffix])

    def contains(self, text):
        """True where the text contains ``text``."""
        return ColumnExpression(["contains", self.tree, text])

    def __bool__(self):
        raise TypeError("Combine dataset expressions with & and | (not 'and'/'or'), e.g. "
                        "(ds['Age'] > 30) & (ds['BMI'] < 25).")
