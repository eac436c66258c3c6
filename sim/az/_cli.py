"""The simulated `az` command's plumbing: an argparse tree with the Azure CLI's manners.

Errors look like the CLI's: a misspelled command says so (with a suggestion), wrong or missing
arguments give argparse's usage and message with exit code 2, and service errors print
`ERROR: ...` with exit code 1. Results print as JSON (keys sorted, two-space indent) unless
`--output/-o` asks for jsonc, yaml, table, tsv or none.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys

import jmespath

OUTPUT_FORMATS = ("json", "jsonc", "yaml", "yamlc", "table", "tsv", "none")


class AzError(Exception):
    """A failure the CLI reports as `ERROR: <message>` with exit code 1."""


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser whose unknown subcommands read like the Azure CLI's."""

    def error(self, message):
        if "invalid choice: " in message and self._subcommand_names():
            self._misspelled(message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")

    def _misspelled(self, message):
        word = message.split("invalid choice: ")[1].split("'")[1]
        choices = self._subcommand_names()
        text = f"'{word}' is misspelled or not recognized by the system."
        close = difflib.get_close_matches(word, choices, n=1)
        if close:
            text += f"\n\nDid you mean '{self.prog} {close[0]}' ?"
        self.exit(2, f"{text}\n\nExamples from AI knowledge base:\n{self.prog} --help\n")

    def _subcommand_names(self) -> list[str]:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return list(action.choices)
        return []


def jmespath_type(text: str):
    """Compile a --query at parse time, as the real CLI does, so a bad one fails before the command runs."""
    try:
        return jmespath.compile(text)
    except jmespath.exceptions.JMESPathError as exc:
        raise argparse.ArgumentTypeError(f"invalid jmespath_type value: {text!r}") from exc


def add_global_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments every Azure CLI command accepts."""
    group = parser.add_argument_group("Global Arguments")
    group.add_argument("--output", "-o", choices=OUTPUT_FORMATS, default="json", help="Output format.")
    group.add_argument("--query", type=jmespath_type,
                       help="A JMESPath query that filters or reshapes the result.")
    group.add_argument("--subscription", help="Name or ID of subscription.")
    group.add_argument("--only-show-errors", action="store_true", help="Only show errors.")
    group.add_argument("--verbose", action="store_true", help="Increase logging verbosity.")
    group.add_argument("--debug", action="store_true", help="Show all debug logs.")


def group(subparsers, name: str, help_text: str) -> argparse._SubParsersAction:
    """Add a command group (`az ml`, `az ml workspace` ...) and return its subcommand table."""
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    return parser.add_subparsers(dest="_command", metavar="<command>", parser_class=CommandParser)


def command(subparsers, name: str, handler, help_text: str) -> argparse.ArgumentParser:
    """Add a leaf command that runs `handler(args)` and prints what it returns."""
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    add_global_arguments(parser)
    return parser


def render(result, args) -> str:
    """Format a command's result as `--output` asks."""
    if getattr(args, "query", None):
        result = args.query.search(result)
    fmt = getattr(args, "output", "json")
    if result is None or fmt == "none":
        return ""
    if fmt in ("json", "jsonc"):
        return json.dumps(result, indent=2, sort_keys=True, default=str)
    if fmt in ("yaml", "yamlc"):
        import yaml

        return yaml.safe_dump(json.loads(json.dumps(result, default=str)), sort_keys=True).rstrip()
    rows = result if isinstance(result, list) else [result]
    return _table(rows) if fmt == "table" else _tsv(rows)


def _scalar_columns(rows: list) -> list[str]:
    columns: list[str] = []
    for row in rows:
        if isinstance(row, dict):
            columns += [k for k, v in row.items() if not isinstance(v, dict | list) and k not in columns]
    return columns


def _table(rows: list) -> str:
    if rows and not isinstance(rows[0], dict):
        return "\n".join(["Result", "--------", *map(str, rows)])
    columns = _scalar_columns(rows)
    cells = [[_title(c) for c in columns]] + [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _tsv(rows: list) -> str:
    if rows and not isinstance(rows[0], dict):
        return "\n".join(map(str, rows))
    columns = _scalar_columns(rows)
    return "\n".join("\t".join(_cell(r.get(c)) for c in columns) for r in rows)


def _title(key: str) -> str:
    return key[:1].upper() + key[1:]


def _cell(value) -> str:
    return "" if value is None else str(value)
