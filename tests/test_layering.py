"""Only ui/ and app.py may import streamlit: domain packages stay usable from a CLI, a kernel and tests."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {"ui", "app.py", "tests", ".venv", "bench"}


def _imports_streamlit(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "streamlit" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
            return True
    return False


def _python_files():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ALLOWED or rel.parts[0].startswith("."):
            continue
        yield rel, path


def test_domain_packages_never_import_streamlit():
    offenders = [str(rel) for rel, path in _python_files() if _imports_streamlit(path)]
    assert offenders == []


def test_the_scan_would_catch_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from streamlit import title\n")
    assert _imports_streamlit(bad)


def test_app_py_only_routes():
    tree = ast.parse((ROOT / "app.py").read_text())
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert defs == [], "app.py must only route; put logic in ui/ or a domain package"
