"""The pt-BR glossary: English terms and avoided forms in pt-BR questions and notes are problems."""

from __future__ import annotations

import datetime as dt

from curriculum.check import load_all
from curriculum.glossary import Glossary, load_glossary, prose

QUESTION = """
require_translations: [pt-BR]
questions:
  - id: data-for-training
    type: single
    skills: [2025.resources.compute]
    sdk: v2
    difficulty: easy
    stem: Which data trains the model?
    options:
      - id: train
        text: The training data
        rationale: It is what the model learns from.
      - id: test
        text: The test data
        rationale: It measures the model; it does not train it.
    answer: train
    references:
      - demo#first
      - https://learn.microsoft.com/en-us/azure/machine-learning/concept-data
    translations:
      pt-BR:
        stem: Quais dados treinam o modelo?
        options:
          - id: train
            text: {train}
            rationale: É com eles que o modelo aprende.
          - id: test
            text: Os dados de teste
            rationale: Eles medem o modelo; não o treinam.
"""

NOTE = """
---
id: demo
title: Demo note
order: 1
sdk: v2
skills: [2025.resources.compute]
---

## First section {#first}

Some text about training data.
"""

PT_NOTE = """
---
id: demo
title: Nota de demonstração
---

## Primeira seção {{#first}}

{line}

```python
# num comentário de código, o glossário não olha aqui: training data
```
"""


def _problems(tree, train: str = "Os dados de treinamento", line: str = "Um texto em uma nota.") -> list[str]:
    tree("bank/demo.yaml", QUESTION.replace("{train}", train))
    tree("notes/en/demo.md", NOTE)
    tree("notes/pt-BR/demo.md", PT_NOTE.format(line=line))
    root = tree.root
    content = load_all(root / "notes", root / "bank", root / "blueprints", today=dt.date(2026, 12, 6))
    return [str(p) for p in content.problems]


def test_clean_portuguese_passes(tree):
    assert _problems(tree) == []


def test_an_english_term_in_a_question_translation_is_reported(tree):
    problems = _problems(tree, train="Os training data")
    assert len(problems) == 1, problems
    assert ("demo.yaml:21: [data-for-training] options.train.text: English term 'training data' in pt-BR text; "
            "write 'dados de treinamento'") in problems[0]


def test_an_avoided_form_in_a_note_is_reported_at_its_line(tree):
    problems = _problems(tree, line="O modelo roda numa VM e o treino demora.")
    assert [p.split("pt-BR/demo.md:")[1] for p in problems] == [
        "8: 'numa' is not the house style; write 'em uma'",
        "8: 'treino' is not the house style; write 'treinamento'",
    ]


def test_code_commands_and_studio_menus_are_not_prose():
    english = {"role assignment": "atribuição de função", "compute clusters": "clusters de computação"}
    glossary = Glossary(english=english, avoid={"num": "em um"})

    assert glossary.findings(prose("Execute az role assignment create com o grupo.")) == []
    assert glossary.findings(prose("Crie no studio (**Compute > Compute clusters**).")) == []
    assert glossary.findings(prose("Use `num` ou num-replicas como nomes.")) == []
    assert glossary.findings(prose("Uma role assignment num escopo.")) == [
        "English term 'role assignment' in pt-BR text; write 'atribuição de função'",
        "'num' is not the house style; write 'em um'",
    ]


def test_a_broken_glossary_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text("english: [unclosed\n", encoding="utf-8")
    glossary, problems = load_glossary(path)
    assert glossary.english == {} and len(problems) == 1 and "YAML syntax error" in problems[0].message
    path.write_text("- a list\n", encoding="utf-8")
    assert "two mappings, english: and avoid:" in load_glossary(path)[1][0].message


def test_the_shipped_glossary_loads_with_the_house_style_forms():
    glossary, problems = load_glossary()
    assert problems == []
    assert glossary.avoid["num"] == "em um" and glossary.avoid["treino"] == "treinamento"
    assert glossary.english["data asset"] == "ativo de dados"
    assert glossary.english["target column"] == "coluna de destino"
