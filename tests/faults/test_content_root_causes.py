"""Probe: one broken blueprint must not bury its own syntax error under hundreds of follow-on problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from curriculum.check import load_all
from dp100.cli import main as dp100_main
from quizzes.blueprint import BLUEPRINTS_DIR

BROKEN_LINE = 9  # the line the probe breaks (the blueprint's `date:`)


@pytest.fixture
def broken_blueprints(tmp_path: Path) -> Path:
    """A copy of the real blueprints where the current outline has one YAML syntax error."""
    folder = tmp_path / "blueprints"
    shutil.copytree(BLUEPRINTS_DIR, folder)
    path = folder / "dp-100-2025.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[BROKEN_LINE - 1] += " : : ["
    path.write_text("\n".join(lines), encoding="utf-8")
    return folder


def test_the_syntax_error_comes_first_and_its_follow_ons_are_counted_not_listed(broken_blueprints):
    content = load_all(blueprints_dir=broken_blueprints)
    first = content.problems[0]
    assert first.file.endswith("dp-100-2025.yaml") and first.line == BROKEN_LINE, (
        f"first of {len(content.problems)} problems is {first}, not the syntax error at line {BROKEN_LINE}")
    assert "YAML syntax error" in first.message
    assert content.hidden_follow_ons > 100, f"only {content.hidden_follow_ons} follow-on problems were recognised"
    unknown = [p for p in content.problems if "unknown skill '2025." in p.message]
    assert not unknown, f"{len(unknown)} follow-on 'unknown skill' problems still listed, e.g. {unknown[:2]}"
    assert len(content.problems) <= 5, (
        f"{len(content.problems)} problems listed for one syntax error ({content.hidden_follow_ons} hidden)")


def test_a_blueprint_that_fails_validation_is_a_root_cause_too(broken_blueprints):
    path = broken_blueprints / "dp-100-2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("exam: DP-100\n", "exam: [DP-100]\n", 1),
                    encoding="utf-8")
    content = load_all(blueprints_dir=broken_blueprints)
    assert content.problems[0].file.endswith("dp-100-2025.yaml"), f"first problem: {content.problems[0]}"
    assert content.hidden_follow_ons > 100, f"{content.hidden_follow_ons} follow-ons hidden"


def test_unrelated_problems_stay_listed_after_the_root_causes(broken_blueprints, tmp_path):
    # A second, independent mistake in an outline that still loads: a Portuguese title left in English.
    path = broken_blueprints / "dp-100-2020.yaml"
    text = path.read_text(encoding="utf-8")
    english = text.split("\ntitle: ", 1)[1].split("\n", 1)[0]
    portuguese = text.split("\ntitle_pt-BR: ", 1)[1].split("\n", 1)[0]
    path.write_text(text.replace(f"title_pt-BR: {portuguese}", f"title_pt-BR: {english}", 1), encoding="utf-8")
    content = load_all(blueprints_dir=broken_blueprints)
    files = [p.file for p in content.problems]
    assert files[0].endswith("dp-100-2025.yaml"), f"order: {files}"
    assert any(f.endswith("dp-100-2020.yaml") for f in files[1:]), f"the independent problem is gone: {files}"


def test_the_cli_prints_the_cause_first_and_counts_the_rest(broken_blueprints, capsys):
    code = dp100_main(["content", "check", "--blueprints", str(broken_blueprints)])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert code == 1
    assert f"dp-100-2025.yaml:{BROKEN_LINE}: YAML syntax error" in lines[0], f"first line printed: {lines[0]}"
    assert len(lines) <= 5, f"{len(lines)} lines printed for one syntax error"
    assert "follow-on problem(s)" in err, err


def test_the_apps_problem_box_starts_with_the_syntax_error(broken_blueprints, monkeypatch, _fast_manifest_scan):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import curriculum.check

    monkeypatch.setattr(curriculum.check, "BLUEPRINTS_DIR", broken_blueprints)
    st.cache_resource.clear()  # the catalog is loaded once per process
    root = Path(__file__).resolve().parents[2]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60).run()
    shown = [block.value for block in at.code]
    st.cache_resource.clear()  # the next test gets the real catalog again
    assert shown, "no content-problem box on Home"
    first = shown[0].splitlines()[0]
    assert f"dp-100-2025.yaml:{BROKEN_LINE}: YAML syntax error" in first, f"the box starts with: {first}"
    assert len(shown[0].splitlines()) <= 5, f"the box lists {len(shown[0].splitlines())} lines for one syntax error"
