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


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports (`import a.b` gives a.b; `from a.b import c` gives a.b and a.b.c)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def _imports_sdk_face(path: Path) -> bool:
    return any(m == "sim.azureml" or m.startswith("sim.azureml.") for m in _imported_modules(path))


def _imports_private_face_module(path: Path) -> bool:
    return any((m == "sim.azureml" or m.startswith("sim.azureml.")) and any(p.startswith("_") for p in m.split("."))
               for m in _imported_modules(path))


def test_the_service_knows_no_sdk():
    """sim/cloud is the service both SDK faces sit on: it never imports the v1 face (sim.azureml)."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "sim" / "cloud").rglob("*.py") if _imports_sdk_face(p)]
    assert offenders == []


def test_lab_checks_never_read_private_modules_of_a_face():
    """Checks grade what the service recorded (sim.cloud), not private helpers of the v1 face."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "labs").rglob("*.py") if _imports_private_face_module(p)]
    assert offenders == []


def test_the_import_scans_would_catch_offenders(tmp_path):
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def f():\n    from sim.azureml.exceptions import UserErrorException\n")
    assert _imports_sdk_face(lazy) and not _imports_private_face_module(lazy)
    private = tmp_path / "private.py"
    private.write_text("from sim.azureml.data import _engine\n")
    assert _imports_private_face_module(private)
    dotted = tmp_path / "dotted.py"
    dotted.write_text("import sim.azureml.train.hyperdrive._sweep\n")
    assert _imports_private_face_module(dotted)
    clean = tmp_path / "clean.py"
    clean.write_text("from sim.cloud import data_engine\nfrom sim.cloud.errors import NotFound\n")
    assert not _imports_sdk_face(clean) and not _imports_private_face_module(clean)


# Study content in three layers: `datafiles` (YAML with lines, problems, validation, freshness fields) below
# `content` (notes) and `quizzes` (questions, blueprints), and `curriculum` (the whole-content check, schema
# export, `dp100 content`) above both. Notes know nothing of questions, and neither knows the layer above.
CONTENT_LAYERS = {
    "datafiles": {"content", "quizzes", "curriculum"},
    "content": {"quizzes", "curriculum"},
    "quizzes": {"content", "curriculum"},
}


def _forbidden_imports(path: Path, forbidden: set[str]) -> set[str]:
    return {m for m in _imported_modules(path) if m.split(".")[0] in forbidden}


def test_notes_and_questions_do_not_import_each_other():
    offenders = {}
    for package, forbidden in CONTENT_LAYERS.items():
        for path in (ROOT / package).rglob("*.py"):
            found = _forbidden_imports(path, forbidden)
            if found:
                offenders[str(path.relative_to(ROOT))] = sorted(found)
    assert offenders == {}


def test_the_layer_scan_would_catch_a_note_importing_questions(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def f():\n    from quizzes.bank import load_bank\n    import curriculum.check\n")
    assert _forbidden_imports(sneaky, CONTENT_LAYERS["content"]) == {
        "quizzes.bank", "quizzes.bank.load_bank", "curriculum.check"}
    clean = tmp_path / "clean.py"
    clean.write_text("from datafiles.problems import Problem\nfrom content.notes import load_notes\n")
    assert _forbidden_imports(clean, CONTENT_LAYERS["content"]) == set()
