"""A temporary bank folder with the real blueprints, for loader tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from quizzes.blueprint import load_blueprints


@pytest.fixture(scope="session")
def blueprints():
    return load_blueprints()


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
