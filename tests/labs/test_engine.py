"""The lab engine without the simulator: spec loading, check injection, broken checks, progress, hints."""

from __future__ import annotations

import json
import textwrap

import pytest

from labs import grading, notebook
from labs.spec import fill, load_lab

LAB_YAML = """
id: "99"
slug: sample
title: {en: Sample lab, pt-BR: Laboratório de exemplo}
summary: {en: A lab for the tests., pt-BR: Um laboratório para os testes.}
goals: [{en: Write a file, pt-BR: Escrever um arquivo}]
duration_minutes: 5
skills: [2020.workspace.create]
prerequisites: [{en: Python basics, pt-BR: Noções de Python}]
steps:
  - id: write-file
    title: {en: Write a file, pt-BR: Escreva um arquivo}
    instructions: {en: "Write `{{name}}.txt`.", pt-BR: "Escreva `{{name}}.txt`."}
    hints:
      - {en: Use open(), pt-BR: Use open()}
      - {en: "open('{{name}}.txt', 'w').write('hi')", pt-BR: "open('{{name}}.txt', 'w').write('hi')"}
    solution: "open('{{name}}.txt', 'w').write('hi')"
    checks: [file_exists, file_says_hi]
    note: sample-note
  - id: broken
    title: {en: Broken, pt-BR: Quebrado}
    instructions: {en: x, pt-BR: x}
    hints: [{en: a, pt-BR: a}, {en: b, pt-BR: b}]
    solution: "pass"
    checks: [raises, needs_workspace]
"""

CHECKS = '''
from labs.grading import failed, needs, passed

def params(rng):
    return {"name": f"file{rng.randint(100, 999)}"}

def file_exists(folder, params):
    path = folder / f"{params['name']}.txt"
    if not path.exists():
        return failed(f"{path.name} is missing.", expected=path.name, found=sorted(p.name for p in folder.iterdir()))
    return passed(f"{path.name} exists.")

@needs("file_exists")
def file_says_hi(folder, params):
    text = (folder / f"{params['name']}.txt").read_text()
    return passed("It says hi.") if text == "hi" else failed("The file should say hi.", expected="hi", found=text)

def raises(folder):
    raise RuntimeError("oops")

def needs_workspace(record):
    return passed("never reached without a workspace")
'''


@pytest.fixture()
def lab(tmp_path):
    folder = tmp_path / "99-sample"
    folder.mkdir()
    (folder / "lab.yaml").write_text(LAB_YAML)
    (folder / "checks.py").write_text(CHECKS)
    return load_lab(folder)


def test_spec_loads_with_both_languages(lab):
    assert lab.spec.title.get("pt-BR") == "Laboratório de exemplo"
    assert lab.spec.step("1").id == "write-file" and lab.spec.step("broken").id == "broken"
    with pytest.raises(KeyError, match="has no step 'nope'"):
        lab.spec.step("nope")


def test_spec_naming_a_missing_check_fails_to_load(tmp_path):
    folder = tmp_path / "99-sample"
    folder.mkdir()
    (folder / "lab.yaml").write_text(LAB_YAML.replace("file_says_hi]", "file_says_hello]"))
    (folder / "checks.py").write_text(CHECKS)
    with pytest.raises(ValueError, match="file_says_hello"):
        load_lab(folder)


def test_spec_rejects_a_step_with_one_hint(tmp_path):
    folder = tmp_path / "99-sample"
    folder.mkdir()
    (folder / "lab.yaml").write_text(LAB_YAML.replace("hints: [{en: a, pt-BR: a}, {en: b, pt-BR: b}]",
                                                      "hints: [{en: a, pt-BR: a}]"))
    (folder / "checks.py").write_text(CHECKS)
    with pytest.raises(ValueError, match="hints"):
        load_lab(folder)


def test_params_are_drawn_per_attempt_and_filled_in(lab):
    first, second = lab.make_params(1), lab.make_params(2)
    assert first == lab.make_params(1) and first != second
    assert fill("Write `{{name}}.txt`", first) == f"Write `{first['name']}.txt`"


def test_a_check_that_needs_a_failed_one_is_not_run_and_expected_and_found_are_kept(lab, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    params = {"name": "abc"}
    results = grading.run_step(lab, lab.spec.step("write-file"), work, params)
    assert [r.name for r in results] == ["file_exists", "file_says_hi"]
    assert not results[0].passed and results[0].expected == "abc.txt" and results[0].note == "sample-note"
    assert results[1].not_run and not results[1].passed and not results[1].broken
    assert "file exists" in results[1].message and "file exists" in results[1].message_pt
    (work / "abc.txt").write_text("hello")
    results = grading.run_step(lab, lab.spec.step("write-file"), work, params)
    assert [r.passed for r in results] == [True, False] and results[1].found == "hello"
    (work / "abc.txt").write_text("hi")
    assert all(r.passed for r in grading.run_step(lab, lab.spec.step("write-file"), work, params))


def test_a_check_that_raises_is_reported_as_broken(lab, tmp_path):
    results = grading.run_step(lab, lab.spec.step("broken"), tmp_path, {}, follow_needs=False)
    broken, needs = results
    assert broken.broken and not broken.passed and "RuntimeError: oops" in broken.error
    assert "not your fault" in broken.message
    assert not needs.broken and not needs.passed and "config.json" in needs.message


def test_workspace_from_config_is_none_for_missing_or_bad_files(tmp_path):
    assert grading.workspace_from_config(tmp_path) is None
    (tmp_path / "config.json").write_text("{not json")
    assert grading.workspace_from_config(tmp_path) is None
    (tmp_path / "config.json").write_text(json.dumps({"subscription_id": "x"}))
    assert grading.workspace_from_config(tmp_path) is None


def test_notebook_has_markdown_instructions_and_code_cells(lab, tmp_path):
    path = notebook.write(lab, {"name": "abc"}, tmp_path, "pt-BR")
    doc = json.loads(path.read_text())
    assert doc["nbformat"] == 4
    kinds = [c["cell_type"] for c in doc["cells"]]
    assert kinds == ["markdown", "code", "markdown", "code", "markdown", "code"]
    assert "Escreva `abc.txt`." in "".join(doc["cells"][2]["source"])
    assert textwrap.dedent("".join(doc["cells"][1]["source"])).startswith("# Run first")
