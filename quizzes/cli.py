"""`dp100 quiz export`: write the question bank as an Anki deck, Moodle GIFT or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quizzes.bank import load_bank
from quizzes.export import DEFAULT_NAMES, FORMATS, export_bank


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `quiz` command group to the `dp100` CLI."""
    quiz = subparsers.add_parser("quiz", help="question bank tools")
    sub = quiz.add_subparsers(dest="quiz_command", metavar="ACTION", required=True)
    export = sub.add_parser("export", help="export the question bank (Anki, Moodle GIFT or JSON)")
    export.add_argument("--format", choices=FORMATS, required=True, help="output format")
    export.add_argument("-o", "--output", type=Path, default=None,
                        help="file to write (default: dp100-questions.<ext> in the current folder)")
    export.add_argument("--lang", choices=("en", "pt-BR"), default="en",
                        help="language of the exported text (untranslated questions stay in English)")
    export.add_argument("--bank", type=Path, default=None, help="question bank folder (default: built-in)")
    export.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Export the questions that load; report broken files and skipped item types on stderr."""
    output: Path = args.output or Path(DEFAULT_NAMES[args.format])
    if not output.parent.exists():
        print(f"dp100: folder {output.parent} does not exist; create it or choose another -o path.",
              file=sys.stderr)
        return 2
    bank = load_bank(args.bank)
    for problem in bank.problems:
        print(f"warning: {problem}", file=sys.stderr)
    summary = export_bank(bank, args.format, output, args.lang)
    skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.skipped.items()))
    note = f" (skipped, not expressible in {args.format}: {skipped})" if skipped else ""
    print(f"wrote {summary.exported} question(s) to {summary.path}{note}")
    return 0
