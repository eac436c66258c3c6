"""A code snapshot never takes in DP100_HOME: it is the simulator's own storage, and reading its live SQLite files from
a process that has them open released that process's locks (a bus error in a test whose code folder held the home)."""

from __future__ import annotations

from sim.cloud.runs import jobs


def test_a_source_folder_that_holds_the_home_is_copied_without_it(dp100_home, tmp_path):
    (dp100_home / "workspaces").mkdir(parents=True)
    (dp100_home / "workspaces" / "state.db").write_bytes(b"live")
    (tmp_path / "train.py").write_text("print('hi')\n")

    jobs.snapshot(tmp_path, tmp_path.parent / f"{tmp_path.name}-copy")

    copy = tmp_path.parent / f"{tmp_path.name}-copy"
    assert sorted(p.name for p in copy.iterdir()) == ["train.py"]


def test_a_source_folder_inside_the_home_is_copied_whole(dp100_home, tmp_path):
    lab = dp100_home / "labs" / "02"
    (lab / "scripts").mkdir(parents=True)
    (lab / "scripts" / "train.py").write_text("print('hi')\n")

    jobs.snapshot(lab, tmp_path / "copy")

    assert (tmp_path / "copy" / "scripts" / "train.py").read_text() == "print('hi')\n"
