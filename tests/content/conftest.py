"""Helpers to build small content trees (notes, bank, blueprints) in a temporary folder."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

# Loaders would otherwise write their YAML parse cache under DP100_HOME, and some modules load content at
# collection time, before the per-test DP100_HOME exists: tests never use the cache unless they ask.
os.environ.setdefault("DP100_CONTENT_CACHE", "off")

from quizzes.blueprint import BLUEPRINTS_DIR


@pytest.fixture
def tree(tmp_path: Path):
    """A content tree with the real blueprints and empty notes/bank folders; returns a writer."""
    shutil.copytree(BLUEPRINTS_DIR, tmp_path / "blueprints")
    for sub in ("notes/en", "notes/pt-BR", "bank"):
        (tmp_path / sub).mkdir(parents=True)

    def write(relative: str, text: str) -> Path:
        path = tmp_path / relative
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    write.root = tmp_path
    return write
