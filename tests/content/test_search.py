"""Search ranking over note sections in both languages."""

from __future__ import annotations

import pytest

from content.notes import load_notes
from content.search import SearchIndex, fold, tokens

EN = """
---
id: compute
title: Compute for training
order: 20
sdk: v1
skills: [2020.compute.targets]
---

## Compute clusters {#clusters}

A cluster scales out training runs. Clusters use low-priority nodes to save money.

## Datastores in passing {#mention}

Runs read data from a datastore; a compute cluster may mount it.

## Environments {#environments}

Nothing about the topic here, only Docker images and conda files.
"""

PT = """
---
id: compute
title: Computação para treino
---

## Clusters de computação {#clusters}

Um cluster aumenta a escala das execuções de treino. Nós de baixa prioridade economizam dinheiro.

## Datastores de passagem {#mention}

Execuções leem dados de um datastore; um cluster de computação pode montá-lo.

## Ambientes {#environments}

Imagens Docker e arquivos conda, nada de cálculo distribuído.
"""


@pytest.fixture
def index(tree) -> SearchIndex:
    tree("notes/en/compute.md", EN)
    tree("notes/pt-BR/compute.md", PT)
    return SearchIndex(load_notes(tree.root / "notes"))


def test_heading_match_ranks_above_a_passing_mention(index):
    hits = index.search("compute cluster")
    assert [h.ref for h in hits[:2]] == ["compute#clusters", "compute#mention"]
    assert hits[0].score > hits[1].score
    assert all(h.lang == "en" for h in hits)


def test_language_filter_and_accents(index):
    hits = index.search("computacao", lang="pt-BR")
    assert hits and hits[0].lang == "pt-BR" and hits[0].anchor == "clusters"
    assert hits[0].note_title == "Computação para treino"
    both = index.search("datastore", lang=None)
    assert {h.lang for h in both} == {"en", "pt-BR"}
    assert {h.anchor for h in both} == {"mention"}


def test_plural_and_prefix_matching(index):
    assert index.search("clusters")[0].anchor == "clusters"
    assert index.search("low-prio")[0].anchor == "clusters"  # last word typed so far
    assert index.search("prio ") == []  # a finished word is not a prefix


def test_snippet_highlights_the_match(index):
    hit = index.search("low-priority nodes")[0]
    assert "**low**-**priority** **nodes**" in hit.snippet


def test_no_terms_no_hits(index):
    assert index.search("") == [] and index.search("the of a") == []
    assert index.search("kubernetes") == []


def test_real_notes_find_the_sections_that_teach_a_term():
    index = SearchIndex(load_notes())  # other notes may mention the term too, so look at the top 3
    assert "workspace#connect" in [h.ref for h in index.search("config.json", limit=3)]
    assert "workspace#logging-metrics" in [h.ref for h in index.search("log_table", limit=3)]
    assert {h.lang for h in index.search("arquivo de configuração", lang="pt-BR")} == {"pt-BR"}


def test_fold_keeps_length_and_tokens_split_identifiers():
    assert fold("Ação É") == "acao e" and len(fold("Ação É")) == len("Ação É")
    assert tokens("Workspace.from_config()") == ["workspace", "from_config", "config"]  # "from" is a stop word
