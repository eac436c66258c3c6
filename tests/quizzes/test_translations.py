"""Every translated question of the real bank localizes, keeps its answers, and changes its text."""

from __future__ import annotations

from quizzes.bank import load_bank
from quizzes.translations import text_paths


def _answers(question) -> dict:
    """Everything but the text of a question: ids, answers, scoring, skills..."""
    return _non_text(question.model_dump(exclude={"translations"}))


def _non_text(data, path=()):
    """Everything except translatable text, keyed by path (ids, answers, scoring...)."""
    out = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key in {"stem", "text", "rationale", "title", "body", "code"}:
                continue
            out.update(_non_text(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.update(_non_text(value, (*path, i)))
    else:
        out[path] = data
    return out


def test_translated_questions_localize_without_moving_answers(private_home):
    bank = load_bank()
    translated = [qid for qid, q in bank.questions.items() if "pt-BR" in q.translations]
    assert len(translated) >= 40
    for qid in translated:
        english, portuguese = bank.questions[qid], bank.get(qid, "pt-BR")
        assert portuguese is not english and bank.has_translation(qid, "pt-BR")
        assert _answers(portuguese) == _answers(english), qid
        assert portuguese.stem != english.stem, qid
        english_texts = text_paths(english.model_dump())
        changed = sum(text_paths(portuguese.model_dump())[p] != t for p, t in english_texts.items())
        assert changed >= len(english_texts) // 2, f"{qid}: most texts should be translated"
