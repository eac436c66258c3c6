"""`dp100 lab list|start|check|notebook|jupyter|reset`: the labs outside the app."""

from __future__ import annotations

import argparse
import sys

from labs import api, jupyter, notebook
from labs.spec import get_lab


def register(subparsers) -> None:
    """Add the `lab` command and its subcommands."""
    parser = subparsers.add_parser("lab", help="guided labs: list, start, check, notebook, jupyter, reset")
    sub = parser.add_subparsers(dest="lab_command", metavar="ACTION")
    sub.add_parser("list", help="list the labs and your progress").set_defaults(func=cmd_list)
    start = sub.add_parser("start", help="prepare a lab's folder and print where it is")
    start.add_argument("lab")
    start.set_defaults(func=cmd_start)
    check = sub.add_parser("check", help="check a lab's steps (exit 0 only when all pass)")
    check.add_argument("lab")
    check.add_argument("--step", help="check only this step (id or number)")
    check.set_defaults(func=cmd_check)
    nb = sub.add_parser("notebook", help="write the lab as a Jupyter notebook in its folder")
    nb.add_argument("lab")
    nb.add_argument("--language", default="en", choices=["en", "pt-BR"])
    nb.set_defaults(func=cmd_notebook)
    lab_jupyter = sub.add_parser("jupyter", help="open a lab in JupyterLab (the lab's compute instance)",
                                 description="`dp100 lab jupyter <lab>` starts JupyterLab (once for every lab) and "
                                             "prints the address that opens the lab; `dp100 lab jupyter status` "
                                             "shows whether it runs; `dp100 lab jupyter stop` stops it.")
    lab_jupyter.add_argument("target", metavar="LAB|status|stop")
    lab_jupyter.add_argument("--language", default="en", choices=["en", "pt-BR"],
                             help="language of the lab's notebook, when it is written")
    lab_jupyter.set_defaults(func=cmd_jupyter)
    reset = sub.add_parser("reset", help="start a lab over (deletes its folder, workspace and results)")
    reset.add_argument("lab")
    reset.add_argument("--yes", action="store_true", help="confirm the reset")
    reset.set_defaults(func=cmd_reset)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def _lab_or_error(lab_id: str):
    try:
        return get_lab(lab_id)
    except KeyError as exc:
        print(f"dp100 lab: {exc.args[0]}", file=sys.stderr)
        return None


def cmd_list(args: argparse.Namespace) -> int:
    for card in api.list_labs():
        print(f"{card['id']}  {card['title']:<44} {card['minutes']:>3} min  {card['passed']}/{card['steps']} steps")
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    if not (lab := _lab_or_error(args.lab)):
        return 2
    attempt = api.prepare(lab.id)
    print(f"Lab {lab.id} ({lab.spec.title.en}) is ready in:\n  {attempt.folder}")
    print(f"Work there (Jupyter or `python -m sim run script.py`), then run `dp100 lab check {lab.id}`.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    if not (lab := _lab_or_error(args.lab)):
        return 2
    try:
        step_ids = [lab.spec.step(args.step).id] if args.step else [s.id for s in lab.spec.steps]
    except KeyError as exc:
        print(f"dp100 lab: {exc.args[0]}", file=sys.stderr)
        return 2
    all_passed = True
    for step_id in step_ids:
        report = api.check_step(lab.id, step_id)
        all_passed &= report.passed
        print(f"{'✓' if report.passed else '✗'} {step_id}")
        for result in report.results:
            mark = "✓" if result.passed else "!" if result.broken else "○" if result.not_run else "✗"  # ○: not run
            print(f"    {mark} {result.name}: {result.message}")
            if not result.passed and result.expected is not None:
                print(f"        expected: {result.expected}\n        found:    {result.found}")
    return 0 if all_passed else 1


def cmd_notebook(args: argparse.Namespace) -> int:
    if not (lab := _lab_or_error(args.lab)):
        return 2
    attempt = api.prepare(lab.id)
    path = notebook.write(lab, attempt.params, attempt.folder, args.language)
    print(f"Wrote {path}")
    return 0


def cmd_jupyter(args: argparse.Namespace) -> int:
    if args.target == "stop":
        print("JupyterLab stopped." if jupyter.stop() else "JupyterLab was not running.")
        return 0
    if args.target == "status":
        server = jupyter.status()
        print(f"JupyterLab runs at {server.url()} (pid {server.pid})." if server else "JupyterLab is not running.")
        return 0
    if not (lab := _lab_or_error(args.target)):
        return 2
    try:
        url = jupyter.start(lab.id, language=args.language)
    except jupyter.JupyterError as exc:
        print(f"dp100 lab jupyter: {exc}", file=sys.stderr)
        return 1
    print(f"Lab {lab.id} is open in JupyterLab (127.0.0.1 only):\n  {url}")
    server = jupyter.status()
    lasts = ("while the app that started it runs" if server and server.owner
             else "for every lab until `dp100 lab jupyter stop`")
    print(f"It keeps running {lasts}; check steps in the app or with `dp100 lab check {lab.id}`.")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    if not (lab := _lab_or_error(args.lab)):
        return 2
    if not args.yes:
        print(f"This deletes lab {lab.id}'s folder, workspace and results. Run again with --yes to do it.",
              file=sys.stderr)
        return 2
    attempt = api.reset_lab(lab.id, confirm=True)
    print(f"Lab {lab.id} starts over in {attempt.folder}")
    return 0
