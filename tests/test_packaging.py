"""Every package of the project is installed: a package left out of pyproject.toml imports from the repository
folder (tests, `streamlit run`) but not from the installed `dp100` command run anywhere else."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_top_level_package_is_in_the_install_list():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests")
    missing = [name for name in packages if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)]
    assert not missing, f"add {missing} to [tool.setuptools.packages.find] include in pyproject.toml"
