"""An Anki deck (.apkg, via genanki) of the single- and multiple-choice questions.

The front shows the stem and the lettered options; the back shows the right answer and, for every
option, why it is right or wrong. Note GUIDs derive from the question id and language, so importing a
newer export updates the cards instead of duplicating them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from string import ascii_uppercase

import genanki

from quizzes.export import ExportSummary
from quizzes.export.text import to_html

# Fixed ids: Anki identifies note types and decks by them, so they must never change.
MODEL_ID = 1_607_392_319
DECK_IDS = {"en": 2_059_400_110, "pt-BR": 2_059_400_111}
EXPORTED_TYPES = ("single", "multiple")

MODEL = genanki.Model(
    MODEL_ID,
    "DP-100 choice question",
    fields=[{"name": "Id"}, {"name": "Question"}, {"name": "Options"}, {"name": "Answer"},
            {"name": "Rationale"}, {"name": "Skills"}],
    templates=[{
        "name": "Card 1",
        "qfmt": "<div class=stem>{{Question}}</div><ol class=options>{{Options}}</ol>",
        "afmt": "{{FrontSide}}<hr id=answer><div class=answer>{{Answer}}</div>"
                "<ul class=rationale>{{Rationale}}</ul><div class=skills>{{Skills}}</div>",
    }],
    css=".card{font-family:sans-serif;font-size:18px;text-align:left}.options{list-style:none;padding:0}"
        ".answer{font-weight:bold}.skills{color:#888;font-size:12px;margin-top:1em}",
    sort_field_index=0,
)

_LABELS = {"en": ("Answer", "Choose"), "pt-BR": ("Resposta", "Escolha")}


def write_anki(questions: list, path: Path, lang: str) -> ExportSummary:
    """Write the choice questions to an .apkg file; other item types are counted as skipped."""
    deck = genanki.Deck(DECK_IDS.get(lang, DECK_IDS["en"]), f"DP-100 practice questions ({lang})")
    skipped: Counter[str] = Counter()
    for question in questions:
        if question.type not in EXPORTED_TYPES:
            skipped[question.type] += 1
            continue
        deck.add_note(_note(question, lang))
    genanki.Package(deck).write_to_file(str(path))
    return ExportSummary(path, len(deck.notes), skipped)


def _note(question, lang: str) -> genanki.Note:
    letters = {o.id: ascii_uppercase[i] for i, o in enumerate(question.options)}
    answers = [question.answer] if question.type == "single" else list(question.answer)
    answer_label, choose_label = _LABELS.get(lang, _LABELS["en"])
    stem = to_html(question.stem)
    if question.type == "multiple":
        stem += f"<br><i>({choose_label} {question.choose})</i>"
    options = "".join(f"<li>{letters[o.id]}. {to_html(o.text)}</li>" for o in question.options)
    answer = f"{answer_label}: " + ", ".join(letters[a] for a in answers)
    rationale = "".join(
        f"<li>{'✔' if o.id in answers else '✘'} {letters[o.id]}. {to_html(o.rationale)}</li>"
        for o in question.options
    )
    fields = [question.id, stem, options, answer, rationale, " ".join(question.skills)]
    return genanki.Note(model=MODEL, fields=fields, guid=genanki.guid_for(question.id, lang),
                        tags=[question.type, f"sdk-{question.sdk}", question.difficulty])
