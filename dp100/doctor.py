"""`dp100 doctor`: what is installed, where state lives, whether it is writable, how lab code is isolated, and
whether every database under it passes SQLite's integrity check (with what to do about each one that does not)."""

from __future__ import annotations

import os
import platform
import shutil
import sys
from importlib import metadata

from dp100 import __version__, databases, paths

PACKAGES = ["streamlit", "pandas", "scikit-learn", "mlflow", "sqlalchemy", "pydantic", "pyyaml", "jupyterlab"]


def register(sub) -> None:
    """Add the `doctor` command."""
    parser = sub.add_parser("doctor", help="print versions, DP100_HOME, what is writable and database health")
    parser.set_defaults(func=run)


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _writable(path) -> str:
    probe = path if path.exists() else next((p for p in path.parents if p.exists()), path)
    return "writable" if os.access(probe, os.W_OK) else "NOT writable"


def report() -> list[tuple[str, str]]:
    """The doctor's findings as (label, value) pairs."""
    home = paths.home()
    rows = [("dp100", __version__), ("python", sys.version.split()[0]), ("platform", platform.platform())]
    rows += [(name, _version(name)) for name in PACKAGES]
    rows += [
        ("DP100_HOME", f"{home} ({'exists' if home.exists() else 'will be created'}, {_writable(home)})"),
        ("progress database", paths.progress_db_url() if home.exists() else "(created on first use)"),
        ("chromium", shutil.which("chromium") or "not found (only the browser tests need it)"),
        ("isolation", _isolation()),
        ("simulated Azure", _service()),
        ("storage", _storage()),
    ]
    return rows


def _storage() -> str:
    """What the workspaces and the lab folders hold, beside their ceilings (walks both folders)."""
    from labs.sandbox import quota
    from sim.cloud import storage_ceiling

    home = paths.home()
    try:
        ceiling, lab_quota = storage_ceiling.quota_mb(), quota.quota_mb()
    except ValueError as exc:
        return str(exc)
    cloud = (f"of its ceiling of {ceiling:,} MB ({storage_ceiling.QUOTA_ENV})" if ceiling
             else f"(no ceiling: {storage_ceiling.QUOTA_ENV}=0)")
    labs = (f"(each lab folder up to {lab_quota:,} MB, {quota.QUOTA_ENV})" if lab_quota
            else f"(no quota: {quota.QUOTA_ENV}=0)")
    return (f"workspaces (cloud/) {_megabytes(quota.disk_use(home / 'cloud'))} {cloud}; "
            f"lab folders (labs/) {_megabytes(quota.disk_use(home / 'labs'))} {labs}")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


def _service() -> str:
    """The service mode (DP100_SERVICE) and whether this home's service runs (never starts it)."""
    from sim.service import launcher, locations

    try:
        mode = locations.mode()
    except ValueError as exc:
        return str(exc)
    record = launcher.running_record() if (paths.home() / "service").is_dir() else None
    where = (f"service running (pid {record['pid']}, {record.get('socket') or 'TCP only'}, "
             f"127.0.0.1:{record['port']})" if record else "no service running (it starts on the first call)")
    from labs.sandbox import Policy

    kernels = "; lab kernels reach it through its service (their home is hidden)" if Policy.from_env().hide_home else ""
    return f"{mode} mode (DP100_SERVICE) here{kernels}; {where}"


def _isolation() -> str:
    """How lab kernels are sandboxed here: "full / partial / none" and why (labs.sandbox)."""
    from labs.sandbox import isolation

    return isolation().summary()


def database_lines(root) -> tuple[list[str], int]:
    """One line per database under `root` (ok, or damaged with what to do) and how many are damaged."""
    verdicts = databases.check_all(root)
    lines = [f"databases: {len(verdicts)} checked with SQLite's integrity check"]
    for verdict in verdicts:
        name = verdict.path.relative_to(root)
        lines.append(f"  {name}: ok" if verdict.ok else
                     f"  {name}: DAMAGED ({verdict.problem}); what to do: {verdict.advice}")
    return lines, sum(not v.ok for v in verdicts)


def run(_args) -> int:
    """Print the report; exit 1 when DP100_HOME cannot be written or a database is damaged."""
    rows = report()
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    lines, damaged = database_lines(paths.home())
    print("\n".join(lines))
    paths.ensure_home()  # raises SetupError with the one-sentence explanation
    return 1 if damaged else 0
