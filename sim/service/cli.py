"""`dp100 service status|start|stop`: the simulated Azure service of DP100_HOME, from a terminal."""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers) -> None:
    """Add the `service` command and its actions."""
    parser = subparsers.add_parser("service", help="the simulated Azure service process: status, start, stop",
                                   description="The simulated Azure runs as one process per DP100_HOME, started "
                                               "on demand and stopped after DP100_SERVICE_IDLE_SECONDS idle "
                                               "(default 600). These actions show, start or stop it.")
    sub = parser.add_subparsers(dest="service_command", metavar="ACTION")
    status = sub.add_parser("status", help="say whether it runs, and its pid, socket, port and uptime")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(func=cmd_status)
    sub.add_parser("start", help="start it now (it starts by itself on the first call anyway)").set_defaults(
        func=cmd_start)
    sub.add_parser("stop", help="stop it (the next call starts it again)").set_defaults(func=cmd_stop)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def cmd_status(args: argparse.Namespace) -> int:
    """Print the service's status; exit 0 when it runs, 3 when it does not (as `systemctl status`)."""
    from sim import service

    info = service.status()
    if args.json:
        print(json.dumps(info, indent=2))
    elif info["running"]:
        where = info.get("socket") or "no Unix socket"
        print(f"running: pid {info['pid']}, socket {where}, port 127.0.0.1:{info['port']}, "
              f"up {info['uptime_seconds']:.0f} s, {info['requests']} request(s) served, home {info['home']}")
    else:
        print(f"not running (home {info['home']}){': ' + info['problem'] if 'problem' in info else ''}")
    return 0 if info["running"] else 3


def cmd_start(args: argparse.Namespace) -> int:
    """Start the service unless it runs; print its pid."""
    from sim import service

    record = service.ensure_running()
    print(f"running: pid {record['pid']}")
    return 0


def cmd_stop(args: argparse.Namespace) -> int:
    """Stop the service if it runs."""
    from sim import service

    print("stopped" if service.stop() else "not running", file=sys.stdout)
    return 0
