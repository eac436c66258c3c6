"""Validate all study content: blueprints, notes in every language, and the question bank.

`check_all()` is what `dp100 content check` runs and what the test suite runs on the real content.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from content.links import link_problems
from content.notes import LANGUAGES, NOTES_DIR, Note, NoteLibrary, load_notes
from curriculum.freshness import expired_problems, freshness_items
from curriculum.glossary import glossary_problems, load_glossary
from curriculum.labrefs import lab_note_problems
from curriculum.ptbr_texts import LAB_CATALOG, UI_TEXTS, learner_texts
from curriculum.triage import Triage, triage, unloaded_files
from datafiles.problems import Problem, display_path
from quizzes.bank import BANK_DIR, Bank, load_bank
from quizzes.blueprint import BLUEPRINTS_DIR, BlueprintSet, load_blueprints
from quizzes.forms import questions_by_domain
from quizzes.rules import all_skills


@dataclass
class ContentSet:
    """Everything the app serves, loaded together, with every problem found."""

    blueprints: BlueprintSet
    notes: NoteLibrary
    bank: Bank
    problems: list[Problem] = field(default_factory=list)  # root causes first, follow-on problems left out
    hidden_follow_ons: int = 0  # problems left out because they only follow from a file that did not load


def load_all(
    notes_dir: Path | None = None, bank_dir: Path | None = None, blueprints_dir: Path | None = None,
    labs_dir: Path | None = None, today: dt.date | None = None,
) -> ContentSet:
    """Load blueprints, notes and questions, cross-checking skills and note anchors.

    Never raises on bad content: problems are collected, sorted by file and line, with the files that could
    not be loaded first (see `curriculum.triage`: what only follows from them is counted, not listed). Lab specs'
    `note:` references are checked too (in `labs_dir`, default `labs/catalog/`), when the notes are the
    built-in ones or `labs_dir` is given. Items whose `valid_until` is before `today` (default: the
    current date) are problems too, and so are English terms or avoided forms in pt-BR text
    (`content/glossary-pt-BR.yaml`): in notes, questions and outlines, and, with the built-in notes or a
    `labs_dir`, in the lab specs and check messages (and the UI texts, with the built-in notes).
    """
    blueprints = load_blueprints(blueprints_dir or BLUEPRINTS_DIR)
    notes = load_notes(notes_dir or NOTES_DIR)
    bank = load_bank(bank_dir or BANK_DIR, blueprints, notes.anchors())
    problems = blueprints.problems + notes.problems + note_problems(notes, blueprints) + bank.problems
    if labs_dir is not None or notes_dir is None:
        problems += lab_note_problems(notes, labs_dir)
    problems += expired_problems(notes, bank, today or dt.date.today())
    glossary, glossary_load_problems = load_glossary()
    builtin = notes_dir is None  # the labs and the UI go with the built-in content (or labs_dir when given)
    texts = learner_texts(blueprints_dir or BLUEPRINTS_DIR, labs_dir or (LAB_CATALOG if builtin else None),
                          UI_TEXTS if builtin else None)
    problems += glossary_load_problems + glossary_problems(notes, bank, glossary, texts)
    found = _triage(problems, blueprints, blueprints_dir or BLUEPRINTS_DIR)
    return ContentSet(blueprints, notes, bank, found.ordered(), found.hidden)


def _triage(problems: list[Problem], blueprints: BlueprintSet, blueprints_dir: Path) -> Triage:
    # A blueprint that fails validation is skipped whole, as one with a syntax error is: its skills are unknown.
    skipped = {display_path(p) for p in blueprints_dir.glob("*.yaml") if _top_id(p) not in blueprints.blueprints}
    with_problems = {p.file for p in blueprints.problems}
    return triage(problems, unloaded_files(problems) | (skipped & with_problems))


_TOP_ID = re.compile(r"^id:\s*['\"]?([^\s'\"#]+)", re.M)


def _top_id(path: Path) -> str | None:
    """A YAML file's top-level `id:`, read as text (None when it has none or cannot be read)."""
    try:
        found = _TOP_ID.search(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    return found.group(1) if found else None


def check_all(
    notes_dir: Path | None = None, bank_dir: Path | None = None, blueprints_dir: Path | None = None
) -> list[Problem]:
    """Every problem in the content, sorted by file and line (empty when all is well)."""
    return load_all(notes_dir, bank_dir, blueprints_dir).problems


def note_problems(notes: NoteLibrary, blueprints: BlueprintSet) -> list[Problem]:
    """Rules across notes: required fields, known skills, section skills, and translation parity."""
    found: list[Problem] = []
    for note in notes.notes["en"].values():
        found += _english_rules(note, blueprints)
    for lang in LANGUAGES[1:]:
        found += _translation_rules(notes, lang)
    return found + link_problems(notes)


def _english_rules(note: Note, blueprints: BlueprintSet) -> list[Problem]:
    found = [Problem(note.path, 1, f"front matter lacks '{name}' (required in English notes)")
             for name in note.front.missing_for_english()]
    skills = list(note.skills) + [s for ss in (note.front.sections or {}).values() for s in ss]
    found += [Problem(note.path, 1, f"unknown skill '{s}'") for s in dict.fromkeys(skills)
              if s not in blueprints.skills]
    anchors = set(note.anchors())
    found += [Problem(note.path, 1, f"front matter 'sections' names '{a}', which is not a section anchor")
              for a in (note.front.sections or {}) if a not in anchors]
    return found


def _translation_rules(notes: NoteLibrary, lang: str) -> list[Problem]:
    found: list[Problem] = []
    translated = notes.notes[lang]
    for note_id, english in notes.notes["en"].items():
        other = translated.get(note_id)
        if other is None:
            found.append(Problem(english.path, 1, f"missing translation: no {lang} note with id '{note_id}'"))
            continue
        found += _same_anchors(english, other)
        found += _same_front_matter(english, other)
        found += _untranslated_sections(english, other)
    for note_id, other in translated.items():
        if note_id not in notes.notes["en"]:
            found.append(Problem(other.path, 1, f"no English note with id '{note_id}' to translate"))
    return found


def _same_anchors(english: Note, other: Note) -> list[Problem]:
    en_anchors, other_anchors = english.anchors(), other.anchors()
    found = [Problem(english.path, english.section(a).line, f"anchor '{a}' has no match in {other.path}")
             for a in en_anchors if a not in other_anchors]
    found += [Problem(other.path, other.section(a).line, f"anchor '{a}' has no match in {english.path}")
              for a in other_anchors if a not in en_anchors]
    if not found and en_anchors != other_anchors:
        found.append(Problem(other.path, 1, f"sections are in a different order than in {english.path}"))
    return found


_CODE_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)


def _prose(body: str) -> str:
    return " ".join(_CODE_FENCE.sub("", body).split())


def _untranslated_sections(english: Note, other: Note) -> list[Problem]:
    """Sections whose prose (code aside) is still word for word the English text."""
    found = []
    for section in other.sections:
        source = english.section(section.anchor) if section.anchor else None
        prose = _prose(section.body)
        if source is not None and len(prose) > 80 and prose == _prose(source.body):
            found.append(Problem(other.path, section.line, f"missing translation: section '{section.anchor}' "
                                                           "is the same text as the English note"))
    return found


def _same_front_matter(english: Note, other: Note) -> list[Problem]:
    found = []
    for name in ("order", "sdk", "skills", "sections", "verified", "valid_until", "freshness"):
        value = getattr(other.front, name)
        if value is not None and value != getattr(english.front, name):
            found.append(Problem(other.path, 1, f"front matter '{name}' differs from {english.path} "
                                                "(leave it out to inherit it)"))
    return found


def skill_coverage(content: ContentSet) -> dict[str, dict[str, list[str]]]:
    """Per blueprint, the skills no note section teaches and the skills with fewer than 3 questions.

    Returns:
        `{blueprint_id: {"untaught": [...], "under_3_questions": [...]}}`.
    """
    taught = {s for n in content.notes.notes["en"].values() for sec in n.sections for s in sec.skills}
    counts: dict[str, int] = {}
    for q in content.bank.questions.values():
        for s in {skill for _, skill in all_skills(q)}:  # case-study sub-questions count too
            counts[s] = counts.get(s, 0) + 1
    report = {}
    for bp in content.blueprints.blueprints.values():
        ids = [s.id for s in bp.skills()]
        report[bp.id] = {
            "untaught": [s for s in ids if s not in taught],
            "under_3_questions": [s for s in ids if counts.get(s, 0) < 3],
        }
    return report


def bank_stats(content: ContentSet) -> dict[str, object]:
    """Counts that show how far the bank is from the issue's quotas.

    Returns:
        `{"questions": n, "by_type": {...}, "translated": {"pt-BR": n}, "by_file": {...},
        "by_outline": {blueprint_id: n}, "verified": {"questions": n, "note sections": n},
        "skills_under_3": {blueprint_id: n}, "notes": {lang: n}, "by_domain": {domain_id: n}}`.
    """
    questions = list(content.bank.questions.values())
    by_type: dict[str, int] = {}
    for q in questions:
        by_type[q.type] = by_type.get(q.type, 0) + 1
    by_file: dict[str, int] = {}
    for source in content.bank.sources.values():
        by_file[source.file] = by_file.get(source.file, 0) + 1
    coverage = skill_coverage(content)
    return {
        "questions": len(questions),
        "by_type": dict(sorted(by_type.items())),
        "translated": {lang: sum(lang in q.translations for q in questions) for lang in LANGUAGES[1:]},
        "by_file": dict(sorted(by_file.items())),
        "by_outline": {bp.id: len(content.bank.for_blueprint(bp)) for bp in content.blueprints.ordered()},
        "verified": _verified_counts(content),
        "skills_under_3": {bp: len(r["under_3_questions"]) for bp, r in coverage.items()},
        "skills_untaught": {bp: len(r["untaught"]) for bp, r in coverage.items()},
        "notes": {lang: len(by_id) for lang, by_id in content.notes.notes.items()},
        "by_domain": _domain_counts(content),
    }


def _domain_counts(content: ContentSet) -> dict[str, int]:
    """Questions counting towards each domain of each outline (domain ids carry their outline's key).

    A question counts towards the domain of its first skill in that outline, as exam forms count it.
    """
    counts: dict[str, int] = {}
    for bp in content.blueprints.ordered():
        for domain_id, questions in questions_by_domain(content.bank.questions.values(), bp).items():
            counts[domain_id] = len(questions)
    return counts


def _verified_counts(content: ContentSet) -> dict[str, int]:
    """How many questions and English note sections carry a `verified` month at all."""
    items = freshness_items(content.notes, content.bank)
    return {"questions": sum(i.freshness.verified is not None for i in items if i.label.startswith("[")),
            "note sections": sum(i.freshness.verified is not None for i in items if i.label.startswith("section"))}
