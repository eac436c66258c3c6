"""Match items in the real bank: the app states once, under every match item, that a value may be reused."""

from __future__ import annotations

import re

from quizzes.bank import load_bank

# The widget's own caption says it (ui/texts.yaml q.match_hint); a stem that says it too repeats it on screen.
REUSE = re.compile(r"more\s+than\s+once|mais\s+de\s+uma\s+vez", re.IGNORECASE)


def _match_items(question):
    if question.type == "match":
        yield question
    for sub in getattr(question, "questions", None) or []:
        yield from _match_items(sub)


def test_no_match_stem_repeats_the_reuse_rule_in_either_language(private_home):
    bank = load_bank()
    seen, repeating = 0, []
    for qid in bank.questions:
        for lang in ("en", "pt-BR"):
            for item in _match_items(bank.get(qid, lang)):
                seen += 1
                if REUSE.search(item.stem):
                    repeating.append(f"{qid} ({lang})")
    assert seen >= 40  # the bank's match items, both languages (a rename must not empty this test)
    assert not repeating, repeating
