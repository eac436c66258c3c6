"""A temporary bank folder with the real blueprints, for loader tests."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

# Loaders would otherwise write their YAML parse cache under DP100_HOME, and some modules load content at
# collection time, before the per-test DP100_HOME exists: tests never use the cache unless they ask.
os.environ.setdefault("DP100_CONTENT_CACHE", "off")

from quizzes.blueprint import load_blueprints


@pytest.fixture(scope="session")
def blueprints(private_home):
    return load_blueprints()


@pytest.fixture(scope="session")
def private_home(tmp_path_factory):
    """A DP100_HOME for session- and module-scoped fixtures, which run before the per-test one is set
    (without it, loaders would write their parse cache under ~/.dp100)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("DP100_HOME", str(tmp_path_factory.mktemp("session-home")))
    yield
    patch.undo()


@pytest.fixture
def bank_dir(tmp_path: Path):
    """Returns `write(name, yaml_text)` that writes a bank file; `write.root` is the folder."""
    root = tmp_path / "bank"
    root.mkdir()

    def write(name: str, text: str) -> Path:
        path = root / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    write.root = root
    return write


SINGLE = """
questions:
  - id: q-one
    type: single
    skills: [2020.workspace.create]
    sdk: v1
    difficulty: easy
    stem: Pick one.
    options:
      - id: a
        text: First
        rationale: Right because.
      - id: b
        text: Second
        rationale: Wrong because.
    answer: a
    references: [workspace#create-workspace, "https://learn.microsoft.com/en-us/azure/machine-learning/"]
"""
