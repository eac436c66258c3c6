"""The pt-BR glossary: English terms and avoided forms in pt-BR questions and notes are problems."""

from __future__ import annotations

import datetime as dt

from curriculum.check import load_all
from curriculum.glossary import Glossary, load_glossary, prose, text_problems
from curriculum.ptbr_texts import LAB_CATALOG, UI_TEXTS, learner_texts, yaml_texts
from dp100.cli import main
from quizzes.blueprint import BLUEPRINTS_DIR

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


def _problems(tree, train: str = "Os dados de treinamento", line: str = "Um texto em uma nota.",
              labs_dir=None) -> list[str]:
    tree("bank/demo.yaml", QUESTION.replace("{train}", train))
    tree("notes/en/demo.md", NOTE)
    tree("notes/pt-BR/demo.md", PT_NOTE.format(line=line))
    root = tree.root
    content = load_all(root / "notes", root / "bank", root / "blueprints", labs_dir=labs_dir,
                       today=dt.date(2026, 12, 6))
    return [str(p) for p in content.problems]


def test_clean_portuguese_passes(tree):
    assert _problems(tree) == []


def test_an_english_term_in_a_question_translation_is_reported(tree):
    problems = _problems(tree, train="Os training data")
    assert len(problems) == 1, problems
    assert ("demo.yaml:25: [data-for-training] options.train.text: English term 'training data' in pt-BR text; "
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


def test_num_inside_other_words_and_code_is_not_a_finding():
    glossary, _ = load_glossary()
    text = "Colunas numéricas, o número de nós, numpy e `num_nodes`; o job treina e faz o treinamento."
    assert glossary.findings(prose(text)) == []
    assert glossary.findings("Os pontos viram a escala, nuns casos.") == [
        "'viram' is not the house style; write 'se tornam'", "'nuns' is not the house style; write 'em uns'"]


def test_a_planted_num_in_a_note_title_is_reported_at_its_front_matter_line(tree):
    tree("bank/demo.yaml", QUESTION.replace("{train}", "Os dados de treinamento"))
    tree("notes/en/demo.md", NOTE)
    tree("notes/pt-BR/demo.md", PT_NOTE.format(line="Texto.").replace("Nota de demonstração", "Treinar num cluster"))
    root = tree.root
    problems = [str(p) for p in load_all(root / "notes", root / "bank", root / "blueprints").problems]
    assert [p.split("pt-BR/demo.md:")[1] for p in problems] == ["3: 'num' is not the house style; write 'em um'"]


def _plant_in_outline(tree, old: str, new: str) -> int:
    path = tree.root / "blueprints" / "dp-100-2025.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def test_a_planted_num_in_an_outline_title_is_reported_by_content_check(tree, capsys):
    line = _plant_in_outline(tree, "title_pt-BR: Implantar um modelo em um endpoint online",
                             "title_pt-BR: Implantar um modelo num endpoint online")
    tree("notes/en/demo.md", NOTE)
    tree("notes/pt-BR/demo.md", PT_NOTE.format(line="Texto."))
    folders = [f"--{name}={tree.root / name}" for name in ("notes", "bank", "blueprints")]
    assert main(["content", "check", *folders]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tree.root}/blueprints/dp-100-2025.yaml:{line}: domains[2025.train-deploy].groups[2025.deploy]"
        ".skills[2025.deploy.online].title_pt-BR: 'num' is not the house style; write 'em um'"]


LAB = """\
id: "99"
title: {en: Train in a cluster, pt-BR: Treinar em um cluster}
summary:
  en: >-
    Train a model in a cluster.
  pt-BR: >-
    Treine um modelo
    num cluster de computação.
steps:
  - id: train
    title: {en: Training, pt-BR: Treino}
    instructions:
      en: Train it.
      pt-BR: |
        Escreva o script:

        ```python
        num = 3  # num: código, não prosa
        ```

        Rode o treino em `num_nodes` nós.

        Depois, compare com outro treino.
"""

CHECKS = """\
from labs.grading import failed, passed


def run_done(record):
    if not record:
        return failed("No training run.", pt=f"Nenhuma execução de {record} treino.")
    return passed("Done.", pt="Concluída "
                              "numa VM.")
"""


def test_lab_specs_and_check_messages_are_checked_at_their_lines(tree, tmp_path):
    lab = tmp_path / "labs" / "99-demo"
    lab.mkdir(parents=True)
    (lab / "lab.yaml").write_text(LAB, encoding="utf-8")
    (lab / "checks.py").write_text(CHECKS, encoding="utf-8")
    problems = _problems(tree, labs_dir=tmp_path / "labs")
    assert [p.split("99-demo/")[1] for p in problems] == [
        "checks.py:6: run_done(): pt=: 'treino' is not the house style; write 'treinamento'",
        "checks.py:8: run_done(): pt=: 'numa' is not the house style; write 'em uma'",
        "lab.yaml:8: summary.pt-BR: 'num' is not the house style; write 'em um'",
        "lab.yaml:11: steps[train].title.pt-BR: 'Treino' is not the house style; write 'treinamento'",
        "lab.yaml:21: steps[train].instructions.pt-BR: 'treino' is not the house style; write 'treinamento'",
        "lab.yaml:23: steps[train].instructions.pt-BR: 'treino' is not the house style; write 'treinamento'",
    ]


def test_ui_texts_are_checked_on_their_pt_br_side_only(tmp_path):
    path = tmp_path / "texts.yaml"
    path.write_text('quiz.a: {en: "Run it on a VM", pt-BR: "Rode em uma VM"}\n'
                    'quiz.b: {en: "num is fine in English", pt-BR: "Rode numa VM"}\n', encoding="utf-8")
    glossary, _ = load_glossary()
    assert [str(p).split("texts.yaml:")[1] for p in text_problems(yaml_texts(path), glossary)] == [
        "2: quiz.b.pt-BR: 'numa' is not the house style; write 'em uma'"]


def test_the_real_outlines_labs_and_ui_are_read_and_follow_the_house_style():
    texts = list(learner_texts(BLUEPRINTS_DIR, LAB_CATALOG, UI_TEXTS))
    kinds = {kind: [t for t in texts if t.file.name == kind] for kind in ("lab.yaml", "checks.py", "texts.yaml")}
    assert len(kinds["lab.yaml"]) > 500 and len(kinds["checks.py"]) > 300 and len(kinds["texts.yaml"]) > 300
    assert sum(t.file.parent == BLUEPRINTS_DIR for t in texts) > 150
    glossary, _ = load_glossary()
    assert [str(p) for p in text_problems(texts, glossary)] == []
