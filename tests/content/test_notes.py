"""Note parsing, anchors, language pairing and the problems `content check` reports for notes."""

from __future__ import annotations

from content.notes import load_notes
from curriculum.check import check_all

EN = """
---
id: demo
title: Demo note
order: 5
sdk: v1
skills: [2020.workspace.create]
sections:
  first: [2020.workspace.create]
---

Intro text.

## First section {#first}

Body one.

```python run
# a comment, not a heading
x = 1
```

### Sub part {#sub}

Body two.
"""

PT = """
---
id: demo
title: Nota de demonstração
---

Introdução.

## Primeira seção {#first}

Corpo um.

### Subparte {#sub}

Corpo dois.
"""


def _problems(tree) -> list[str]:
    root = tree.root
    return [str(p) for p in check_all(root / "notes", root / "bank", root / "blueprints")]


def test_sections_anchors_and_code_blocks(tree):
    tree("notes/en/demo.md", EN)
    tree("notes/pt-BR/demo.md", PT)
    notes = load_notes(tree.root / "notes")
    assert notes.problems == []
    note = notes.notes["en"]["demo"]
    assert note.anchors() == ["first", "sub"]
    first = note.section("first")
    assert first.title == "First section" and first.level == 2 and first.line == 13
    assert first.skills == ("2020.workspace.create",)
    (block,) = first.code_blocks
    assert block.language == "python" and block.flags == ("run",) and "x = 1" in block.code
    assert "{#" not in note.markdown() and "## First section" in note.markdown()


def test_pt_br_inherits_front_matter_from_english(tree):
    tree("notes/en/demo.md", EN)
    tree("notes/pt-BR/demo.md", PT)
    pt = load_notes(tree.root / "notes").notes["pt-BR"]["demo"]
    assert (pt.order, pt.sdk, pt.skills) == (5, ("v1",), ("2020.workspace.create",))
    assert pt.section("first").skills == ("2020.workspace.create",)
    assert _problems(tree) == []


def test_missing_translation_and_mismatched_anchors(tree):
    tree("notes/en/demo.md", EN)
    tree("notes/en/other.md", EN.replace("id: demo", "id: other"))
    tree("notes/pt-BR/demo.md", PT.replace("{#sub}", "{#subpart}"))
    problems = _problems(tree)
    assert any("other.md:1: missing translation: no pt-BR note with id 'other'" in p for p in problems)
    assert any("en/demo.md:22: anchor 'sub' has no match in" in p for p in problems)
    assert any("pt-BR/demo.md:12: anchor 'subpart' has no match in" in p for p in problems)


def test_heading_without_anchor_and_duplicate_anchor(tree):
    tree("notes/en/demo.md", EN.replace("### Sub part {#sub}", "### Sub part") + "\n## Again {#first}\n")
    problems = _problems(tree)
    assert any("demo.md:22: heading 'Sub part' has no anchor" in p for p in problems)
    assert any("demo.md:26: duplicate anchor 'first'" in p for p in problems)


def test_broken_front_matter_skips_only_that_note(tree):
    tree("notes/en/demo.md", EN)
    tree("notes/en/bad.md", "---\nid: bad\ntitle: [unclosed\n---\n\ntext\n")
    tree("notes/en/nofront.md", "Just text.\n")
    tree("notes/en/wrong.md", EN.replace("order: 5", "order: first"))
    notes = load_notes(tree.root / "notes")
    assert list(notes.notes["en"]) == ["demo"]
    by_file = {p.file.rsplit("/", 1)[-1]: p for p in notes.problems}
    assert by_file["bad.md"].line == 4 and "YAML syntax error" in by_file["bad.md"].message
    assert by_file["nofront.md"].line == 1
    assert by_file["wrong.md"].line == 4 and by_file["wrong.md"].message.startswith("order:")


def test_front_matter_rules_for_english_notes(tree):
    text = EN.replace("order: 5\n", "").replace("[2020.workspace.create]\nsections", "[2020.nope]\nsections")
    tree("notes/en/demo.md", text.replace("  first: [", "  missing: ["))
    tree("notes/pt-BR/demo.md", PT)
    problems = _problems(tree)
    assert any("lacks 'order'" in p for p in problems)
    assert any("unknown skill '2020.nope'" in p for p in problems)
    assert any("names 'missing', which is not a section anchor" in p for p in problems)


def test_unclosed_fence_and_level_one_heading(tree):
    tree("notes/en/demo.md", EN.replace("Intro text.", "# Title again") + "\n```python\nopen = True\n")
    problems = _problems(tree)
    assert any("demo.md:11: no level-1 headings" in p for p in problems)
    assert any("code fence is never closed" in p for p in problems)


def test_file_name_must_match_the_id(tree):
    tree("notes/en/renamed.md", EN)
    problems = _problems(tree)
    assert any("id 'demo' must match the file name 'renamed.md'" in p for p in problems)


def test_links_between_notes_must_lead_somewhere(tree):
    body = ("\nSee [the sub part](#sub), [the note](demo), [its section](demo#first), [the web]"
            "(https://learn.microsoft.com/), [gone](#nowhere) and [other](missing#first).\n"
            "`[not a link](#nowhere)`\n\n```markdown\n[in code](#nowhere)\n```\n")
    tree("notes/en/demo.md", EN + body)
    tree("notes/pt-BR/demo.md", PT)
    problems = [p for p in _problems(tree) if "link" in p]
    assert problems == [
        f"{tree.root}/notes/en/demo.md:26: link '#nowhere' leads to no note section",
        f"{tree.root}/notes/en/demo.md:26: link 'missing#first' leads to no note section",
    ]


def test_resolve_link_uses_the_current_language(tree):
    from content.links import resolve_link

    tree("notes/en/demo.md", EN)
    tree("notes/pt-BR/demo.md", PT)
    notes = load_notes(tree.root / "notes")
    pt = notes.notes["pt-BR"]["demo"]
    assert resolve_link("#sub", pt, notes) == ("demo", "sub")
    assert resolve_link("demo", pt, notes) == ("demo", "")
    assert resolve_link("demo#nope", pt, notes) is None
    assert resolve_link("https://x", pt, notes) is None


def test_coverage_report_lists_untaught_skills_and_thin_question_counts(tree):
    from curriculum.check import load_all, skill_coverage

    tree("notes/en/demo.md", EN)
    tree("notes/pt-BR/demo.md", PT)
    root = tree.root
    report = skill_coverage(load_all(root / "notes", root / "bank", root / "blueprints"))
    old = report["dp-100-2020"]
    assert "2020.workspace.create" not in old["untaught"]  # taught by section `first`
    assert "2020.workspace.settings" in old["untaught"]
    assert "2020.workspace.create" in old["under_3_questions"]  # the bank here is empty


def test_a_section_left_in_english_is_a_missing_translation(tree):
    english_body = "Runs read data from a datastore; a compute cluster may mount it when the job starts on it."
    tree("notes/en/demo.md", EN.replace("Body one.", english_body))
    tree("notes/pt-BR/demo.md", PT.replace("Corpo um.", english_body + "\n\n```python\nx = 1\n```"))
    problems = _problems(tree)
    assert any("pt-BR/demo.md:8: missing translation: section 'first' is the same text" in p for p in problems)


def test_an_unknown_language_folder_is_reported(tree):
    (tree.root / "notes" / "pt").mkdir()
    tree("notes/pt/demo.md", PT)
    notes = load_notes(tree.root / "notes")
    (problem,) = notes.problems
    assert "unknown language folder 'pt'" in problem.message


def test_lab_note_references_must_lead_to_a_section(tree):
    tree("notes/en/demo.md", EN)
    tree("notes/pt-BR/demo.md", PT)
    (tree.root / "labs" / "01-demo").mkdir(parents=True)
    tree("labs/01-demo/lab.yaml", """
        id: demo
        steps:
          - id: one
            note: demo#first
          - id: two
            note: demo#gone
          - id: three
            note: demo
    """)
    root = tree.root
    from curriculum.check import load_all

    problems = load_all(root / "notes", root / "bank", root / "blueprints", root / "labs").problems
    assert [str(p) for p in problems] == [
        f"{root}/labs/01-demo/lab.yaml:6: note reference 'demo#gone' leads to no note section"
    ]
