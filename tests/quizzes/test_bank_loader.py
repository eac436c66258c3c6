"""The bank loader: schema problems with file:line, resilience to broken files, cross-checks."""

from __future__ import annotations

from quizzes.bank import load_bank
from tests.quizzes.conftest import SINGLE

ANCHORS = {"workspace#create-workspace"}


def _load(bank_dir, blueprints):
    return load_bank(bank_dir.root, blueprints, ANCHORS)


def _messages(bank) -> list[str]:
    return [str(p) for p in bank.problems]


def test_a_valid_file_loads_with_no_problems(bank_dir, blueprints):
    bank_dir("a.yaml", SINGLE)
    bank = _load(bank_dir, blueprints)
    assert bank.problems == []
    assert list(bank.questions) == ["q-one"]
    assert bank.sources["q-one"].line == 2


def test_missing_rationale_is_reported_at_the_option_line(bank_dir, blueprints):
    bank_dir("a.yaml", SINGLE.replace("        rationale: Wrong because.\n", ""))
    bank = _load(bank_dir, blueprints)
    assert bank.questions == {}
    (problem,) = bank.problems
    assert problem.file.endswith("a.yaml") and problem.line == 12
    assert "options[1].rationale" in problem.message and "missing rationale" in problem.message


def test_answer_not_among_options_is_reported_at_the_answer_line(bank_dir, blueprints):
    bank_dir("a.yaml", SINGLE.replace("answer: a", "answer: c"))
    (problem,) = _load(bank_dir, blueprints).problems
    assert problem.line == 15
    assert "answer 'c' is not among the option ids (a, b)" in problem.message


def test_duplicate_id_across_files_keeps_the_first(bank_dir, blueprints):
    bank_dir("a.yaml", SINGLE)
    bank_dir("b.yaml", SINGLE)
    bank = _load(bank_dir, blueprints)
    assert list(bank.questions) == ["q-one"]
    (problem,) = bank.problems
    assert problem.file.endswith("b.yaml") and problem.line == 2
    assert "duplicate question id 'q-one'" in problem.message and "a.yaml:2" in problem.message


def test_unknown_skill_and_dangling_anchor_are_reported_but_the_question_is_served(bank_dir, blueprints):
    text = SINGLE.replace("[2020.workspace.create]", "[2020.workspace.create, 2020.nope]")
    bank_dir("a.yaml", text.replace("workspace#create-workspace", "workspace#nowhere"))
    bank = _load(bank_dir, blueprints)
    assert "q-one" in bank.questions
    messages = _messages(bank)
    assert any(":4: " in m and "unknown skill '2020.nope'" in m for m in messages)
    assert any(":16: " in m and "dangling note anchor 'workspace#nowhere'" in m for m in messages)


def test_references_need_a_note_anchor_and_a_learn_url(bank_dir, blueprints):
    bank_dir("a.yaml", SINGLE.replace(', "https://learn.microsoft.com/en-us/azure/machine-learning/"', ""))
    (problem,) = _load(bank_dir, blueprints).problems
    assert "Microsoft Learn URL" in problem.message


def test_a_broken_file_does_not_stop_the_others(bank_dir, blueprints):
    bank_dir("a.yaml", SINGLE)
    bank_dir("b.yaml", "questions:\n  - id: x\n   oops: [\n")
    bank_dir("c.yaml", "- just a list\n")
    bank = _load(bank_dir, blueprints)
    assert list(bank.questions) == ["q-one"]
    files = sorted(p.file.rsplit("/", 1)[-1] for p in bank.problems)
    assert files == ["b.yaml", "c.yaml"]
    assert all(p.line >= 1 for p in bank.problems)


def test_one_broken_question_does_not_stop_the_rest_of_its_file(bank_dir, blueprints):
    second = SINGLE.split("questions:\n", 1)[1].replace("q-one", "q-two").replace("type: single", "type: singel")
    bank_dir("a.yaml", SINGLE + second)
    bank = _load(bank_dir, blueprints)
    assert list(bank.questions) == ["q-one"]
    (problem,) = bank.problems
    assert problem.line == 17 and "q-two" in problem.message


def test_missing_translation_where_the_file_requires_it(bank_dir, blueprints):
    bank_dir("a.yaml", "require_translations: [pt-BR]\n" + SINGLE)
    (problem,) = _load(bank_dir, blueprints).problems
    assert problem.line == 4 and "missing translation" in problem.message and "pt-BR" in problem.message


def test_incomplete_translation_names_what_is_missing(bank_dir, blueprints):
    translation = """    translations:
      pt-BR:
        stem: Escolha uma.
        options:
          - id: a
            text: Primeira
            rationale: Certa porque.
          - id: b
            text: Segunda
"""
    bank_dir("a.yaml", SINGLE + translation)
    bank = _load(bank_dir, blueprints)
    (problem,) = bank.problems
    assert "lacks options.b.rationale" in problem.message
    localized = bank.get("q-one", "pt-BR")
    assert localized.stem == "Escolha uma."
    assert localized.options[1].rationale == "Wrong because."  # falls back to English text
    assert localized.answer == "a"


def test_translation_may_not_carry_answers(bank_dir, blueprints):
    translation = """    translations:
      pt-BR:
        stem: Escolha uma.
        answer: b
"""
    bank_dir("a.yaml", SINGLE + translation)
    messages = _messages(_load(bank_dir, blueprints))
    assert any("may only hold text fields, not 'answer'" in m for m in messages)


def test_get_falls_back_to_english_without_translation(bank_dir, blueprints):
    bank_dir("a.yaml", SINGLE)
    bank = _load(bank_dir, blueprints)
    assert bank.get("q-one", "pt-BR") is bank.questions["q-one"]
    assert not bank.has_translation("q-one", "pt-BR")


def test_yaml_booleans_in_text_fields_get_a_quoting_hint(bank_dir, blueprints):
    bank_dir("a.yaml", SINGLE.replace("text: Second", "text: Yes"))
    (problem,) = _load(bank_dir, blueprints).problems
    assert problem.line == 13 and "YAML read this as true, not text: put the value in quotes" in problem.message


def test_duplicate_keys_are_reported(bank_dir, blueprints):
    bank_dir("a.yaml", SINGLE.replace("        rationale: Wrong because.\n",
                                      "        rationale: Wrong because.\n        rationale: Again.\n"))
    bank = _load(bank_dir, blueprints)
    (problem,) = bank.problems
    assert problem.line == 15 and "key 'rationale' appears twice" in problem.message
    assert "q-one" in bank.questions
