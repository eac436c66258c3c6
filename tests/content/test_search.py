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
    # "from" is a stop word; a final -e goes, so that "workspace" and "workspaces" share a stem
    assert tokens("Workspace.from_config()") == ["workspac", "from_config", "config"]


CODE_HEAVY = """
---
id: data
title: Data in the workspace
order: 5
---

## Reading files {#reading}

```python
datastore = ws.get_default_datastore()
datastore_name = datastore.name
datastore_paths = [(datastore, "data/*.csv")]
datastore_path = datastore_paths[0]
print(datastore_name, datastore_path)
```

## Datastores {#datastores}

A datastore keeps the connection to an Azure storage service.
"""


@pytest.mark.parametrize("query", ["datastore", "datastores", "datastore ", "datast", "Datastores "])
def test_a_section_titled_with_the_term_ranks_above_code_that_uses_it(tree, query):
    tree("notes/en/data.md", CODE_HEAVY)
    index = SearchIndex(load_notes(tree.root / "notes"))
    assert [h.anchor for h in index.search(query)] == ["datastores", "reading"]


def test_singular_and_plural_share_a_stem_in_both_languages():
    from content.search import stem

    pairs = [("datastore", "datastores"), ("feature", "features"), ("process", "processes"), ("size", "sizes"),
             ("valor", "valores"), ("ambiente", "ambientes"), ("servidor", "servidores")]
    assert [(one, many) for one, many in pairs if stem(one) != stem(many)] == []


def test_real_notes_put_the_datastore_sections_first():
    # "datastore" found the workspace note's "Datastores" 10th of 10, below code samples (issue 14).
    hits = SearchIndex(load_notes()).search("datastore", lang="en", limit=10)
    titled = [h.ref for h in hits if "datastore" in h.section_title.lower()]
    assert "workspace#datastores" in titled
    assert [h.ref for h in hits[:len(titled)]] == titled


def test_highlight_marks_the_query_words_but_not_code_links_or_anchors():
    from content.search import highlight

    text = ("## Datastores {#datastores}\nA **datastore** keeps `datastore` and [Datastores](n#datastores).\n"
            "```python\nds = Datastore.get(ws, 'x')\n```\nSeveral datastores.")
    marked = highlight(text, "datastore ", lambda w: f"<{w}>")
    assert marked.count("<") == 3  # the heading word, the bold word and the plural at the end
    assert "{#datastores}" in marked and "`datastore`" in marked and "[Datastores](n#datastores)" in marked
    assert "Datastore.get" in marked and "Several <datastores>." in marked
    assert highlight("Ação de computação", "computacao", lambda w: f"[{w}]") == "Ação de [computação]"
    assert highlight(text, "  ", lambda w: f"<{w}>") == text
