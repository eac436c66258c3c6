"""Load the question bank (`quizzes/bank/*.yaml`) without ever letting one bad file stop the rest.

Each file holds `questions:` (a list) and optionally `require_translations: [pt-BR]`. Each question is
validated on its own: a broken question becomes problems with file and line, and the others load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from datafiles.problems import Problem, display_path
from datafiles.validation import duplicate_key_problems, register_branch_tags, validation_problems
from datafiles.yamlsrc import LineMap, YamlSyntaxError, describe_loc, load_yaml_file
from quizzes import items as it
from quizzes import rules
from quizzes.blueprint import Blueprint, BlueprintSet
from quizzes.translations import apply_translation, translation_findings

BANK_DIR = Path(__file__).parent / "bank"
register_branch_tags(it.ITEM_TYPES)


@dataclass(frozen=True)
class Source:
    """Where a question was defined (the line is looked up only when asked for)."""

    file: str
    lines: LineMap = field(repr=False, compare=False)
    loc: tuple[Any, ...] = ()
    require_translations: tuple[str, ...] = ()

    @property
    def line(self) -> int:
        """1-based line of the question's first key."""
        return self.lines.line(self.loc)


@dataclass
class Bank:
    """The questions that loaded (by id, in file order) and the problems found."""

    questions: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    _localized: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    def get(self, question_id: str, lang: str = "en") -> Any:
        """A question in a language; falls back to English when it has no such translation.

        Raises:
            KeyError: when no question has this id.
        """
        question = self.questions[question_id]
        if lang == "en" or lang not in question.translations:
            return question
        key = (question_id, lang)
        if key not in self._localized:
            try:
                self._localized[key] = localize(question, lang)
            except ValidationError:
                self._localized[key] = None  # reported by the loader; serve the English text
        return self._localized[key] or question

    def has_translation(self, question_id: str, lang: str) -> bool:
        """Whether the question reads natively in `lang` (English always does)."""
        return lang == "en" or self.get(question_id, lang) is not self.questions[question_id]

    def by_skill(self, skill_id: str) -> list[Any]:
        """Questions that test a skill (directly or through a case-study sub-question)."""
        return [q for q in self.questions.values() if skill_id in {s for _, s in rules.all_skills(q)}]

    def for_blueprint(self, blueprint: Blueprint) -> list[Any]:
        """Questions that test at least one skill of the blueprint."""
        prefix = blueprint.key + "."
        return [q for q in self.questions.values()
                if any(s.startswith(prefix) for _, s in rules.all_skills(q))]

    def of_type(self, item_type: str) -> list[Any]:
        """Questions of one item type (`single`, `multiple`, ... `case_study`)."""
        return [q for q in self.questions.values() if q.type == item_type]


def localize(question: Any, lang: str) -> Any:
    """The question with its `lang` translation applied (ids, answers and scoring unchanged)."""
    data = question.model_dump(exclude={"translations"})
    merged = apply_translation(data, question.translations[lang])
    return it.QUESTION_ADAPTER.validate_python(merged)


def load_bank(
    directory: Path | None = None,
    blueprints: BlueprintSet | None = None,
    note_anchors: Iterable[str] | None = None,
) -> Bank:
    """Load and validate every question file in a folder.

    Args:
        directory: folder of `*.yaml` files (defaults to `quizzes/bank/`).
        blueprints: when given, every skill id must exist in them ("unknown skill").
        note_anchors: when given (`note-id#anchor` strings), every note reference must be among them.

    Returns:
        A `Bank`: questions that can be served, plus every problem as file + line + message.
    """
    bank = Bank()
    anchors = set(note_anchors) if note_anchors is not None else None
    for path in sorted((directory or BANK_DIR).glob("*.yaml")):
        _load_file(path, bank, blueprints, anchors)
    return bank


def _load_file(path: Path, bank: Bank, blueprints: BlueprintSet | None, anchors: set[str] | None) -> None:
    name = display_path(path)
    try:
        data, lines = load_yaml_file(path)
    except YamlSyntaxError as exc:
        bank.problems.append(Problem(name, exc.line, str(exc)))
        return
    except (OSError, UnicodeDecodeError) as exc:
        bank.problems.append(Problem(name, 0, f"cannot read file: {exc}"))
        return
    bank.problems.extend(duplicate_key_problems(name, lines))
    try:
        header = it.BankFile.model_validate(data)
    except ValidationError as exc:
        bank.problems.extend(validation_problems(exc, name, lines))
        return
    required = tuple(header.require_translations)
    for index, raw in enumerate(header.questions):
        ctx = _Ctx(name, lines, ("questions", index), required)
        question = _load_question(raw, ctx, bank)
        if question is not None:
            _cross_check(question, raw, ctx, bank, blueprints, anchors)


@dataclass(frozen=True)
class _Ctx:
    file: str
    lines: LineMap
    loc: tuple[Any, ...]
    required: tuple[str, ...]

    def problem(self, sub_loc: tuple[Any, ...], message: str) -> Problem:
        full = (*self.loc, *sub_loc)
        where = describe_loc(sub_loc)
        return Problem(self.file, self.lines.line(full), f"{where}: {message}" if where else message)


def _load_question(raw: Any, ctx: _Ctx, bank: Bank) -> Any | None:
    try:
        question = it.QUESTION_ADAPTER.validate_python(raw)
    except ValidationError as exc:
        found = validation_problems(exc, ctx.file, ctx.lines, ctx.loc)
        qid = raw.get("id") if isinstance(raw, dict) else None
        bank.problems.extend(_with_id(p, qid) for p in found)
        return None
    findings = rules.question_findings(question)
    bank.problems.extend(_with_id(ctx.problem(loc, msg), question.id) for loc, msg in findings)
    if findings:
        return None
    if question.id in bank.questions:
        first = bank.sources[question.id]
        bank.problems.append(ctx.problem(("id",), f"duplicate question id '{question.id}' (first in "
                                                  f"{first.file}:{first.line})"))
        return None
    bank.questions[question.id] = question
    bank.sources[question.id] = Source(ctx.file, ctx.lines, ctx.loc, ctx.required)
    return question


def _with_id(problem: Problem, qid: Any) -> Problem:
    if not qid:
        return problem
    return Problem(problem.file, problem.line, f"[{qid}] {problem.message}")


def _cross_check(
    question: Any, raw: dict, ctx: _Ctx, bank: Bank, blueprints: BlueprintSet | None, anchors: set[str] | None
) -> None:
    """Problems that do not stop the question being served: skills, note anchors, translations."""
    found: list[Problem] = []
    if blueprints is not None:
        found += [ctx.problem(loc, f"unknown skill '{s}'") for loc, s in rules.all_skills(question)
                  if s not in blueprints.skills]
    if anchors is not None:
        found += [ctx.problem(loc, f"dangling note anchor '{r}' (no such note section)")
                  for loc, r in rules.all_note_refs(question) if r not in anchors]
    found += _translation_problems(question, raw, ctx)
    bank.problems.extend(_with_id(p, question.id) for p in found)


def _translation_problems(question: Any, raw: dict, ctx: _Ctx) -> list[Problem]:
    found = [ctx.problem(("id",), f"missing translation: this file requires '{lang}'")
             for lang in ctx.required if lang not in question.translations]
    if not question.translations:
        return found
    # The raw YAML holds the same texts as the model (validation adds no text), and is cheaper to walk.
    data = {key: value for key, value in raw.items() if key != "translations"}
    for lang, overlay in question.translations.items():
        loc = ("translations", lang)
        found += [ctx.problem(loc, msg) for _, msg in translation_findings(data, lang, overlay)]
    return found

