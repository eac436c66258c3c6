"""Probes: everything the platform writes under DP100_HOME is its user's only (folders 0700, files 0600), after a
lab run and after an app start, even from a process that began with the usual umask 022; lab kernels keep no
IPython history outside DP100_HOME; `dp100 reset --yes` leaves nothing behind."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-typed-in-a-cell-7f1e"

# A child process that starts with umask 022 (as a shell does), runs lab 01's reference solution in a real lab
# kernel (workspace, compute, role assignment, key-vault secret, progress rows), types a secret in a cell and
# closes the lab.
LAB_RUN = f"""
import os
os.umask(0o022)
from labs import api
for step in api.steps("01"):
    result = api.run_cell("01", step["id"], api.solution("01", step["id"]))
    assert result.ok, (step["id"], result.text())
result = api.run_cell("01", api.steps("01")[-1]["id"], "token = {SECRET!r}\\nprint(len(token))")
assert result.ok, result.text()
print(sum(r.passed for r in api.check_lab("01")), "passed")
api.close_all()
"""

def _run(code: str, home: Path, user_home: Path, timeout: float = 300) -> str:
    env = {**os.environ, "DP100_HOME": str(home), "HOME": str(user_home)}
    env.pop("IPYTHONDIR", None)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _open_to_others(home: Path) -> list[str]:
    """Paths under `home` (itself included) that anyone but the owner can read, write or enter."""
    found = []
    for path in [home, *home.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        if mode & 0o077:
            found.append(f"{stat.filemode(mode)} {path.relative_to(home)}")
    return found


def test_a_lab_run_leaves_only_private_files_and_no_ipython_history_outside(tmp_path):
    home, user_home = tmp_path / "dp100", tmp_path / "user"
    user_home.mkdir()
    out = _run(LAB_RUN, home, user_home)
    assert "passed" in out, out
    files = [p for p in home.rglob("*") if p.is_file()]
    kinds = {p.name for p in files}
    assert "progress.db" in kinds and "state.db" in kinds and any(n.startswith("mlflow") for n in kinds), kinds
    assert any("keyvault" in p.parts for p in files), "the lab stored no key-vault secret to check"
    loose = _open_to_others(home)
    assert loose == [], f"{len(loose)} of {len(files)} files and folders open to others: {loose[:10]}"
    history = [str(p) for p in user_home.rglob("history.sqlite")] + [str(p) for p in home.rglob("history.sqlite")]
    assert history == [], f"IPython history written: {history}"
    assert not (user_home / ".ipython").exists(), "a lab made an IPython folder outside DP100_HOME"
    outside = [str(p) for p in user_home.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert outside == [], f"the secret typed in a cell is kept outside DP100_HOME in {outside}"
    reset = subprocess.run([sys.executable, "-m", "dp100", "reset", "--yes"], cwd=ROOT, capture_output=True,
                           text=True, env={**os.environ, "DP100_HOME": str(home), "HOME": str(user_home)})
    assert reset.returncode == 0, reset.stderr
    left = [str(p.relative_to(home)) for p in home.rglob("*")]
    assert left == [], f"dp100 reset --yes left {len(left)} entries: {left[:10]}"


def test_an_app_start_keeps_its_files_private_and_closes_an_open_home(dp100_home, _fast_manifest_scan):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    dp100_home.mkdir(mode=0o755)
    dp100_home.chmod(0o755)  # a home made by an older version, open to others
    st.cache_resource.clear()  # the app's once-per-process start-up work runs again, as in a new server
    previous = os.umask(0o022)  # as a shell starts the app
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        at.switch_page("ui/pages/progress_page.py").run()
        assert not at.exception, [e.value for e in at.exception]
        files = [p for p in dp100_home.rglob("*") if p.is_file()]
        assert any(p.name == "progress.db" for p in files), [p.name for p in files]
        loose = _open_to_others(dp100_home)
    finally:
        os.umask(previous)
    assert loose == [], f"{len(loose)} of {len(files)} files and folders open to others after an app start: {loose}"
