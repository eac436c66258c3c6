"""ARM template language expressions: `"[concat('st', uniqueString(resourceGroup().id))]"`.

An expression is parsed into a small tree, then evaluated against a template's context (its parameters,
variables, resource group, subscription). `if`, `and` and `or` evaluate only the arguments they need, as
Resource Manager does, so `[if(empty(x), 'none', reference(x).id)]` never touches the branch not taken.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from sim import messages
from sim.cloud.errors import WORKSPACE, UserError

INVALID_TEMPLATE = "InvalidTemplate"
_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+)|(?P<name>[A-Za-z_][\w]*)|(?P<sym>[(),.\[\]]))")


class Context(Protocol):
    """What expressions read from the deployment they belong to."""

    def parameter(self, name: str) -> Any: ...

    def variable(self, name: str) -> Any: ...

    def function(self, name: str):
        """The template function `name` (lower-case), or None."""


def template_error(message: str) -> UserError:
    """Resource Manager's 400 for a template it cannot evaluate."""
    return UserError(WORKSPACE, message, code=INVALID_TEMPLATE)


def is_expression(value) -> bool:
    """True for a string ARM evaluates: `[...]`, but not the escaped literal `[[...]`."""
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")


def evaluate(text: str, context: Context):
    """The value of one expression string (with or without its square brackets)."""
    body = text[1:-1] if is_expression(text) else text
    return _evaluate(parse(body), context)


# ---- parsing -----------------------------------------------------------------------------------------

def parse(text: str) -> tuple:
    """The expression's tree: ("lit", value) | ("call", name, args) | ("prop", node, name) | ("index", node, key)."""
    tokens = list(_TOKEN.finditer(text))
    if "".join(m.group(0) for m in tokens).strip() != text.strip():
        raise template_error(messages.ARM_EXPRESSION_INVALID.format(text=text, problem=""))
    return _Parser([(m.lastgroup, m.group(m.lastgroup)) for m in tokens], text).parse_all()


class _Parser:
    """A recursive-descent parser over one expression's tokens."""

    def __init__(self, tokens: list, text: str):
        self.tokens, self.pos, self.text = tokens, 0, text

    def parse_all(self) -> tuple:
        node = self._expression()
        if self.pos != len(self.tokens):
            raise self._invalid("unexpected text")
        return node

    def _invalid(self, problem: str) -> UserError:
        return template_error(messages.ARM_EXPRESSION_INVALID.format(text=self.text, problem=f": {problem}"))

    def _next(self) -> tuple:
        if self.pos >= len(self.tokens):
            raise self._invalid("it ends too early")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def _peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def _expression(self) -> tuple:
        kind, text = self._next()
        if kind == "str":
            node = ("lit", text[1:-1].replace("''", "'"))
        elif kind == "num":
            node = ("lit", int(text))
        elif kind == "name":
            node = self._call(text)
        else:
            raise self._invalid(f"unexpected '{text}'")
        return self._members(node)

    def _members(self, node: tuple) -> tuple:
        while self._peek() in (".", "["):
            if self._next()[1] == ".":
                kind, name = self._next()
                if kind != "name":
                    raise self._invalid(f"'.{name}' is not a property name")
                node = ("prop", node, name)
            else:
                node = ("index", node, self._expression())
                if self._next()[1] != "]":
                    raise self._invalid("a '[' is not closed")
        return node

    def _call(self, name: str) -> tuple:
        if self._next()[1] != "(":
            raise self._invalid(f"'{name}' must be followed by '('")
        args = []
        while self._peek() != ")":
            args.append(self._expression())
            if self._peek() == ",":
                self._next()
            elif self._peek() is None:
                raise self._invalid("it ends too early")
            elif self._peek() != ")":
                raise self._invalid(f"the arguments of '{name}' are not separated by commas")
        self._next()
        return ("call", name, args)


# ---- evaluating --------------------------------------------------------------------------------------

def _evaluate(node: tuple, context: Context):
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "prop":
        return _property(_evaluate(node[1], context), node[2])
    if kind == "index":
        return _item(_evaluate(node[1], context), _evaluate(node[2], context))
    return _call(node[1], node[2], context)


def _call(name: str, args: list, context: Context):
    lazy = _LAZY.get(name.lower())
    if lazy is not None:
        return lazy(args, context)
    function = context.function(name.lower())
    if function is None:
        raise template_error(messages.ARM_FUNCTION_UNSUPPORTED.format(name=name))
    return function(*[_evaluate(arg, context) for arg in args])


def _property(value, name: str):
    # ARM property names are case-insensitive: resourceGroup().Location works.
    if isinstance(value, dict):
        if name in value:
            return value[name]
        for key, item in value.items():
            if key.lower() == name.lower():
                return item
    raise template_error(messages.ARM_PROPERTY_MISSING.format(name=name))


def _item(value, key):
    try:
        return value[key] if not isinstance(value, dict) else _property(value, str(key))
    except (IndexError, KeyError, TypeError) as exc:
        raise template_error(messages.ARM_PROPERTY_MISSING.format(name=key)) from exc


def _if(args: list, context: Context):
    if len(args) != 3:
        raise template_error(messages.ARM_ARGUMENT_COUNT.format(name="if", count=3))
    return _evaluate(args[1] if _evaluate(args[0], context) else args[2], context)


def _and(args: list, context: Context) -> bool:
    return all(_evaluate(arg, context) for arg in args)


def _or(args: list, context: Context) -> bool:
    return any(_evaluate(arg, context) for arg in args)


_LAZY = {"if": _if, "and": _and, "or": _or}
