"""The `dp100` command: version, doctor, reset."""

from __future__ import annotations

import subprocess
import sys

from dp100 import __version__, paths
from dp100.cli import main
from progress import Record


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "dp100", *args], capture_output=True, text=True, env=env)


def test_version_via_the_real_entry_point():
    out = run_cli("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"dp100 {__version__}"


def test_doctor_prints_versions_and_home(capsys, dp100_home):
    assert main(["doctor"]) == 0
    text = capsys.readouterr().out
    assert str(dp100_home) in text and "mlflow" in text and "writable" in text


def test_doctor_shows_the_storage_in_use_beside_each_ceiling(capsys, monkeypatch, dp100_home):
    # A learner who meets the storage ceiling learns here what holds the space, and which setting moves it.
    monkeypatch.setenv("DP100_STORAGE_QUOTA_MB", "64")
    for folder, size in (("cloud/ws/blobs", 3), ("labs/07", 1)):
        (dp100_home / folder).mkdir(parents=True)
        (dp100_home / folder / "data.bin").write_bytes(b"x" * size * 2**20)
    main(["doctor"])
    line = next(row for row in capsys.readouterr().out.splitlines() if row.startswith("storage"))
    assert "workspaces (cloud/) 3.0 MB of its ceiling of 64 MB (DP100_STORAGE_QUOTA_MB)" in line, line
    assert "lab folders (labs/) 1.0 MB (each lab folder up to 2,048 MB, DP100_LAB_DISK_MB)" in line, line
    monkeypatch.setenv("DP100_STORAGE_QUOTA_MB", "lots")
    main(["doctor"])
    line = next(row for row in capsys.readouterr().out.splitlines() if row.startswith("storage"))
    assert "DP100_STORAGE_QUOTA_MB must be a whole number" in line, line


def test_doctor_explains_an_unwritable_home(capsys, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("DP100_HOME", str(blocker / "home"))
    assert main(["doctor"]) == 1
    err = capsys.readouterr().err
    assert "not writable" in err and "Traceback" not in err


def test_reset_without_yes_deletes_nothing(capsys):
    Record().record_answer("q", "A", True)
    assert main(["reset"]) == 1
    assert "--yes" in capsys.readouterr().err
    assert len(Record().answers()) == 1


def test_reset_with_yes_wipes_the_home(capsys):
    Record().record_answer("q", "A", True)
    (paths.subdir("labs", "01") / "notes.txt").write_text("mine")
    assert main(["reset", "--yes"]) == 0
    assert list(paths.home().iterdir()) == []
    assert Record().answers() == []


def test_reset_works_on_a_corrupt_record(dp100_home, monkeypatch):
    dp100_home.mkdir(parents=True)
    (dp100_home / "progress.db").write_bytes(b"garbage" * 200)
    out = run_cli("reset", "--yes")  # reset must still work on a corrupt record
    assert out.returncode == 0


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "usage: dp100" in capsys.readouterr().out


def test_reset_stops_scoring_servers_first(monkeypatch):
    from sim.azureml.core import Workspace
    from sim.cloud import services

    Workspace.create(name="reset-ws", subscription_id="00000000-0000-0000-0000-000000000000",
                     resource_group="rg", create_resource_group=True, location="eastus")
    stopped = []
    monkeypatch.setattr(services, "stop_all", lambda record: stopped.append(record.name))
    assert main(["reset", "--yes"]) == 0
    assert stopped == ["reset-ws"]


def test_many_threads_prove_the_home_at_once():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        homes = list(pool.map(lambda _: paths.ensure_home(), range(64)))
    assert len(set(homes)) == 1 and list(homes[0].iterdir()) == []
