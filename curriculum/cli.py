"""`dp100 content check`: validate notes, blueprints and questions; print `file:line: problem`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from curriculum.check import bank_stats, load_all, skill_coverage
from curriculum.freshness import unverified_problems
from datafiles.freshness import parse_year_month


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `content` command group to the `dp100` CLI."""
    content = subparsers.add_parser("content", help="study notes and question bank tools")
    sub = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="validate notes, blueprints and questions")
    check.add_argument("--notes", type=Path, default=None, help="notes folder (default: the built-in notes)")
    check.add_argument("--bank", type=Path, default=None, help="question bank folder")
    check.add_argument("--blueprints", type=Path, default=None, help="blueprints folder")
    check.add_argument("--coverage", action="store_true",
                       help="also list skills no note section teaches and skills with fewer than 3 questions")
    check.add_argument("--strict-coverage", action="store_true",
                       help="count coverage gaps as problems (exit non-zero)")
    check.add_argument("--verified-since", type=_year_month, default=None, metavar="YYYY-MM",
                       help="also list every question and note section not verified in or after this month "
                            "(exit non-zero when there is any)")
    check.add_argument("--as-of", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                       help="judge valid_until dates against this day instead of today (e.g. what expires soon)")
    check.set_defaults(func=run_check)
    stats = sub.add_parser("stats", help="count questions per type, file, translation and skill coverage")
    stats.set_defaults(func=run_stats)
    schema = sub.add_parser("schema", help="write JSON Schemas of the content files (for editor completion)")
    schema.add_argument("-o", "--output", type=Path, default=Path("schemas"), help="folder to write into")
    schema.set_defaults(func=run_schema)


def run_check(args: argparse.Namespace) -> int:
    """Print every problem as `file:line: message`; exit 1 when there is any."""
    for option in ("notes", "bank", "blueprints"):
        folder = getattr(args, option)
        if folder is not None and not folder.is_dir():
            print(f"dp100: --{option} {folder} is not a folder; give an existing folder.", file=sys.stderr)
            return 2
    content = load_all(args.notes, args.bank, args.blueprints, today=args.as_of)
    for problem in content.problems:
        print(problem)
    gaps = 0
    if args.coverage or args.strict_coverage:
        gaps = _print_coverage(content)
    stale = _print_unverified(content, args.verified_since) if args.verified_since else 0
    questions = len(content.bank.questions)
    notes = sum(len(by_id) for by_id in content.notes.notes.values())
    summary = (f"{len(content.problems)} problem(s); {questions} question(s), {notes} note file(s), "
               f"{len(content.blueprints.blueprints)} blueprint(s) loaded")
    if content.hidden_follow_ons:
        summary += (f"; {content.hidden_follow_ons} follow-on problem(s) of files that did not load are not "
                    "listed (fix the files listed first and check again)")
    if args.verified_since:
        summary += f"; {stale} item(s) not verified since {args.verified_since}"
    print(summary, file=sys.stderr)
    failed = bool(content.problems) or (args.strict_coverage and gaps > 0) or stale > 0
    return 1 if failed else 0


def _print_unverified(content, since: str) -> int:
    found = unverified_problems(content.notes, content.bank, since)
    for problem in found:
        print(problem)
    return len(found)


def _year_month(text: str) -> str:
    try:
        return parse_year_month(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).replace("must be", "give", 1)) from None


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        message = f"give a date written YYYY-MM-DD (for example 2027-01-31), not {text!r}"
        raise argparse.ArgumentTypeError(message) from None


def _print_coverage(content) -> int:
    gaps = 0
    for bp_id, report in skill_coverage(content).items():
        for kind, skills in report.items():
            for skill in skills:
                print(f"coverage: {bp_id}: {kind.replace('_', ' ')}: {skill}")
            gaps += len(skills)
    return gaps


def run_stats(args: argparse.Namespace) -> int:
    """Print the bank's counts, one `name: value` line each (nested counts indented)."""
    for key, value in bank_stats(load_all()).items():
        if isinstance(value, dict):
            print(f"{key}:")
            for name, count in value.items():
                print(f"  {name}: {count}")
        else:
            print(f"{key}: {value}")
    return 0


def run_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schemas and say where they went."""
    from curriculum.jsonschema import write_schemas

    for path in write_schemas(args.output):
        print(f"wrote {path}")
    return 0
