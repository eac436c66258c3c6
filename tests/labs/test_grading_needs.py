"""A step's checks all run, so every requirement shows its mark; a check that reads what an earlier one proves is
"not run" while that one fails (and so are workspace checks once one of them found no workspace)."""

from __future__ import annotations

import pytest

from labs import grading
from labs.spec import catalog, load_lab

LAB_YAML = """
id: "98"
slug: needs
title: {en: Needs, pt-BR: Dependências}
summary: {en: A lab for the tests., pt-BR: Um laboratório para os testes.}
goals: [{en: Write files, pt-BR: Escrever arquivos}]
duration_minutes: 5
skills: [2020.workspace.create]
prerequisites: [{en: Python basics, pt-BR: Noções de Python}]
steps:
  - id: files
    title: {en: Files, pt-BR: Arquivos}
    instructions: {en: x, pt-BR: x}
    hints: [{en: a, pt-BR: a}, {en: b, pt-BR: b}]
    solution: "pass"
    checks: [a_exists, a_says_hi, b_exists]
  - id: workspace
    title: {en: Workspace, pt-BR: Workspace}
    instructions: {en: x, pt-BR: x}
    hints: [{en: a, pt-BR: a}, {en: b, pt-BR: b}]
    solution: "pass"
    checks: [b_exists, first_workspace_check, second_workspace_check]
"""

CHECKS = '''
from labs.grading import failed, needs, passed

def a_exists(folder):
    return passed("a exists.") if (folder / "a").exists() else failed("a is missing.")

@needs("a_exists")
def a_says_hi(folder):
    return passed("a says hi.") if (folder / "a").read_text() == "hi" else failed("a should say hi.")

def b_exists(folder):
    return passed("b exists.") if (folder / "b").exists() else failed("b is missing.")

def first_workspace_check(record):
    return passed("never reached without a workspace")

def second_workspace_check(mlflow):
    return passed("never reached without a workspace")
'''


def _lab(tmp_path, checks: str = CHECKS, yaml: str = LAB_YAML):
    folder = tmp_path / "98-needs"
    folder.mkdir(parents=True)
    (folder / "lab.yaml").write_text(yaml)
    (folder / "checks.py").write_text(checks)
    return load_lab(folder)


def _run(lab, step: str, folder):
    return grading.run_step(lab, lab.spec.step(step), folder, {})


def test_every_requirement_gets_a_mark_and_a_dependent_one_is_not_run(tmp_path):
    lab = _lab(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    (work / "b").write_text("")
    a_exists, a_says_hi, b_exists = _run(lab, "files", work)
    assert not a_exists.passed and not a_exists.not_run and a_exists.message == "a is missing."
    assert a_says_hi.not_run and not a_says_hi.passed and not a_says_hi.broken  # it would crash on a missing file
    assert a_says_hi.message_in("pt-BR") != a_says_hi.message  # said in both languages
    assert b_exists.passed  # an independent requirement after a failure is still checked


def test_a_dependent_check_runs_once_what_it_needs_passes(tmp_path):
    lab = _lab(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    (work / "a").write_text("hello")
    results = _run(lab, "files", work)
    assert [(r.passed, r.not_run) for r in results] == [(True, False), (False, False), (False, False)]
    assert results[1].message == "a should say hi."


def test_checks_that_need_the_workspace_say_it_once(tmp_path):
    lab = _lab(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    _, first, second = _run(lab, "workspace", work)
    assert first.message == grading.NO_WORKSPACE and not first.not_run
    assert second.not_run and "workspace" in second.message


def test_a_check_needing_one_not_listed_before_it_fails_to_load(tmp_path):
    swapped = LAB_YAML.replace("[a_exists, a_says_hi, b_exists]", "[a_says_hi, a_exists, b_exists]")
    with pytest.raises(ValueError, match="a_says_hi needs a_exists"):
        _lab(tmp_path, yaml=swapped)


def test_the_catalogue_declares_what_its_checks_need():
    """Every lab loads (the loader checks each need is an earlier check of its step), and the labs use it."""
    labs = catalog()
    dependent = [c for lab in labs.values() for s in lab.spec.steps for c in s.checks if grading.needed(lab.check(c))]
    assert len(dependent) > 50


def test_every_lab_says_what_it_teaches_and_what_it_needs_in_both_languages():
    for lab in catalog().values():
        spec = lab.spec
        assert spec.goals and spec.prerequisites, lab.id
        for text in [*spec.goals, *spec.prerequisites]:
            assert text.get("en") and text.get("pt-BR") and text.get("en") != text.get("pt-BR"), (lab.id, text)
        assert all(p.lab is None or p.lab < lab.id for p in spec.prerequisites), lab.id


def test_a_lab_without_prerequisites_or_naming_a_bad_lab_fails_to_load(tmp_path):
    with pytest.raises(ValueError, match="prerequisites"):
        _lab(tmp_path, yaml=LAB_YAML.replace("prerequisites: [{en: Python basics, pt-BR: Noções de Python}]\n", ""))
    with pytest.raises(ValueError, match="two digits"):
        _lab(tmp_path / "x", yaml=LAB_YAML.replace("[{en: Python", "[{lab: one, en: Python"))
