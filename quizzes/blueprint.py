"""Exam outlines as data: domains with weight ranges, skill groups and skills with stable ids.

A blueprint file (`quizzes/blueprints/<id>.yaml`) describes one version of the exam's skills outline.
Skill ids are global (prefixed with the blueprint's `key`, e.g. `2020.workspace.create`), so a question
or a note section can point at skills of several outlines at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from datafiles.problems import Problem, display_path
from datafiles.validation import duplicate_key_problems, validation_problems
from datafiles.yamlsrc import YamlSyntaxError, load_yaml_file

BLUEPRINTS_DIR = Path(__file__).parent / "blueprints"
_SLUG = r"[a-z0-9][a-z0-9-]*"
_Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Titled(_Strict):
    """A part of the outline the learner reads by its title, written in English and Brazilian Portuguese.

    `title` stays the English text (ids, logs and English screens use it); `title_in(language)` is what a
    screen shows. The Portuguese title is required, so `dp100 content check` reports one that is missing.
    """

    id: str
    title: _Title
    title_pt_br: _Title = Field(alias="title_pt-BR")

    def title_in(self, language: str) -> str:
        """The title in `language` ("en" or "pt-BR"); English for any other language."""
        return self.title_pt_br if language == "pt-BR" else self.title


class Skill(_Titled):
    """One measurable skill, e.g. `2020.workspace.create`: "create an Azure Machine Learning workspace"."""


class SkillGroup(_Titled):
    """A functional group of skills inside a domain (the outline's second level)."""

    skills: list[Skill] = Field(min_length=1)

    @model_validator(mode="after")
    def _skills_extend_group_id(self) -> SkillGroup:
        for skill in self.skills:
            if not re.fullmatch(re.escape(self.id) + r"\." + _SLUG, skill.id):
                raise ValueError(f"skill id '{skill.id}' must be '{self.id}.<slug>' (lowercase, digits, -)")
        return self


class Domain(_Titled):
    """A scored domain of the exam with its published weight range in percent."""

    weight: tuple[int, int]
    groups: list[SkillGroup] = Field(min_length=1)

    @field_validator("weight")
    @classmethod
    def _weight_is_a_range(cls, value: tuple[int, int]) -> tuple[int, int]:
        low, high = value
        if not 0 < low <= high <= 100:
            raise ValueError("weight must be [min, max] percentages with 0 < min <= max <= 100")
        return value

    @property
    def weight_mid(self) -> float:
        """Midpoint of the weight range, what exam forms use to share questions between domains."""
        return (self.weight[0] + self.weight[1]) / 2

    def skills(self) -> list[Skill]:
        """Every skill of this domain, in outline order."""
        return [s for g in self.groups for s in g.skills]


ExamState = Literal["current", "retired", "retired-successor-available"]


class Successor(_Strict):
    """The exam that took over from a retired one (it may have no outline in this project yet)."""

    exam: str  # its code, e.g. AI-300
    title: _Title
    title_pt_br: _Title = Field(alias="title_pt-BR")
    certification: str  # Microsoft's certification names are not translated
    blueprint: str | None = None  # the id of its outline here, once there is one

    def title_in(self, language: str) -> str:
        """The successor exam's title in `language` ("en" or "pt-BR"); English otherwise."""
        return self.title_pt_br if language == "pt-BR" else self.title


class Retirement(_Strict):
    """When an exam stopped being offered, how sure that is, and what replaced it.

    Attributes:
        retired_on: the last day the exam could be taken.
        confirmed_by_microsoft: False when the date comes only from third parties (study sites, blogs),
            not from a Microsoft page; screens then say so.
        sources: addresses where the retirement is reported.
        successor: the exam that replaced it, when there is one.
    """

    retired_on: dt.date
    confirmed_by_microsoft: bool
    sources: list[Annotated[str, StringConstraints(pattern=r"^https://")]] = Field(min_length=1)
    successor: Successor | None = None


class Blueprint(_Titled):
    """One version of an exam's skills outline, with the exam's status.

    `status` says whether this outline can still be studied for: `current` (the exam is offered on this
    outline), `retired` (an older outline, or a retired exam with no successor), or
    `retired-successor-available` (the exam retired and another exam took over; `retirement` says which).
    `replaced_by` names the outline of the same exam that followed this one. `sources` and
    `confirmed_by_microsoft` say where the outline itself was read (False: only third parties report it).
    `minutes_per_question` is the practice exam's time per question when this exam's differs from the usual 2.
    """

    id: str = Field(pattern=r"^" + _SLUG + r"$")
    key: str = Field(pattern=r"^" + _SLUG + r"$")
    exam: str
    certification: str | None = None
    status: ExamState
    date: dt.date
    source: str | None = None
    # Where the outline itself is reported, and whether a Microsoft page confirmed it (None: not said).
    sources: list[Annotated[str, StringConstraints(pattern=r"^https://")]] = Field(default_factory=list)
    confirmed_by_microsoft: bool | None = None
    notes: str | None = None
    retirement: Retirement | None = None
    replaced_by: str | None = None
    minutes_per_question: float | None = Field(default=None, gt=0, le=10)
    domains: list[Domain] = Field(min_length=1)

    @model_validator(mode="after")
    def _status_has_its_facts(self) -> Blueprint:
        if self.status == "retired-successor-available" and (self.retirement is None or not self.retirement.successor):
            raise ValueError("status retired-successor-available needs retirement: {retired_on, "
                             "confirmed_by_microsoft, sources, successor: {...}}")
        if self.status == "current" and self.replaced_by:
            raise ValueError(f"a current outline cannot be replaced_by '{self.replaced_by}'; set status: retired")
        return self

    @model_validator(mode="after")
    def _ids_are_prefixed(self) -> Blueprint:
        for domain in self.domains:
            if not domain.id.startswith(self.key + "."):
                raise ValueError(f"domain id '{domain.id}' must start with the blueprint key '{self.key}.'")
            for group in domain.groups:
                if not re.fullmatch(re.escape(self.key) + r"\." + _SLUG, group.id):
                    raise ValueError(f"group id '{group.id}' must be '{self.key}.<slug>'")
        return self

    @model_validator(mode="after")
    def _weights_can_sum_to_100(self) -> Blueprint:
        low = sum(d.weight[0] for d in self.domains)
        high = sum(d.weight[1] for d in self.domains)
        if not low <= 100 <= high:
            raise ValueError(f"domain weights cannot add up to 100% (minimums {low}, maximums {high})")
        return self

    def skills(self) -> list[Skill]:
        """Every skill of the outline, in order."""
        return [s for d in self.domains for s in d.skills()]

    def titled_parts(self) -> list[tuple[tuple[str | int, ...], _Titled]]:
        """The outline itself, each domain, group and skill, with its location in the YAML file."""
        found: list[tuple[tuple[str | int, ...], _Titled]] = [((), self)]
        for di, domain in enumerate(self.domains):
            found.append((("domains", di), domain))
            for gi, group in enumerate(domain.groups):
                found.append((("domains", di, "groups", gi), group))
                found += [(("domains", di, "groups", gi, "skills", si), s) for si, s in enumerate(group.skills)]
        return found

    def domain_of(self, skill_id: str) -> Domain | None:
        """The domain that holds a skill, or None when the skill is not in this outline."""
        for domain in self.domains:
            if any(s.id == skill_id for s in domain.skills()):
                return domain
        return None


@dataclass
class BlueprintSet:
    """All loaded blueprints plus the problems found while loading them."""

    blueprints: dict[str, Blueprint] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skills: dict[str, Skill] = field(default_factory=dict)

    def skill_blueprint(self, skill_id: str) -> Blueprint | None:
        """The blueprint a skill id belongs to."""
        for bp in self.blueprints.values():
            if skill_id.startswith(bp.key + ".") and skill_id in self.skills:
                return bp
        return None

    def current(self) -> Blueprint | None:
        """The newest blueprint whose status is `current` (None when every loaded exam has retired)."""
        live = [b for b in self.blueprints.values() if b.status == "current"]
        return max(live, key=lambda b: b.date) if live else None

    def ordered(self) -> list[Blueprint]:
        """Outlines in the order a learner should see them: current ones, then the newest first."""
        return sorted(self.blueprints.values(), key=lambda b: (b.status != "current", -b.date.toordinal(), b.id))

    def study_default(self) -> Blueprint | None:
        """The outline screens open on: the current one, else the newest (a retired exam is still studied)."""
        ordered = self.ordered()
        return ordered[0] if ordered else None

    def latest_of(self, blueprint: Blueprint) -> Blueprint:
        """The last outline of the same exam, following `replaced_by` (the blueprint itself when none)."""
        seen = {blueprint.id}
        while blueprint.replaced_by in self.blueprints and blueprint.replaced_by not in seen:
            blueprint = self.blueprints[blueprint.replaced_by]
            seen.add(blueprint.id)
        return blueprint

    def exam_status(self, blueprint: Blueprint) -> ExamStatus:
        """What a learner studying `blueprint` must know: is its exam still offered, and what replaced it."""
        latest = self.latest_of(blueprint)
        successor = latest.retirement.successor if latest.retirement else None
        loaded = successor.blueprint if successor and successor.blueprint in self.blueprints else None
        return ExamStatus(outline=blueprint, latest=latest, state=latest.status, retirement=latest.retirement,
                          outline_replaced=latest is not blueprint, successor_outline=loaded)

    def predecessors(self, blueprint: Blueprint) -> list[Blueprint]:
        """Retired exams' last outlines that name `blueprint` as their successor's outline (AI-300 -> DP-100)."""
        return [b for b in self.ordered()
                if b.retirement and b.retirement.successor and b.retirement.successor.blueprint == blueprint.id]

    def reference_problems(self) -> list[tuple[Blueprint, str]]:
        """`replaced_by` values that name no loaded outline, with the message to report."""
        return [(b, f"replaced_by '{b.replaced_by}' names no loaded blueprint")
                for b in self.blueprints.values() if b.replaced_by and b.replaced_by not in self.blueprints]


@dataclass(frozen=True)
class ExamStatus:
    """The exam behind an outline, as screens explain it.

    Attributes:
        outline: the outline being studied.
        latest: the last outline of the same exam (itself unless it was replaced).
        state: the exam's state, from the latest outline (`current`, `retired`, `retired-successor-available`).
        retirement: when and how surely the exam retired, and its successor (None while it is offered).
        outline_replaced: True when a newer outline of the same exam exists.
        successor_outline: the successor exam's outline id when this project has it loaded.
    """

    outline: Blueprint
    latest: Blueprint
    state: str
    retirement: Retirement | None
    outline_replaced: bool
    successor_outline: str | None

    @property
    def exam_offered(self) -> bool:
        """Whether the exam can still be taken."""
        return self.state == "current"


def load_blueprints(directory: Path | None = None) -> BlueprintSet:
    """Load every `*.yaml` blueprint in a folder; a broken file becomes problems, not an exception.

    Args:
        directory: folder to read (defaults to `quizzes/blueprints/`).

    Returns:
        The blueprints that loaded (by id), every skill by id, and the problems found.
    """
    result = BlueprintSet()
    folder = directory or BLUEPRINTS_DIR
    for path in sorted(folder.glob("*.yaml")):
        _load_one(path, result)
    result.problems.extend(Problem(display_path(folder / f"{b.id}.yaml"), 1, message)
                           for b, message in result.reference_problems())
    return result


def _load_one(path: Path, result: BlueprintSet) -> None:
    name = display_path(path)
    try:
        data, lines = load_yaml_file(path)
    except YamlSyntaxError as exc:
        result.problems.append(Problem(name, exc.line, str(exc)))
        return
    except (OSError, UnicodeDecodeError) as exc:
        result.problems.append(Problem(name, 0, f"cannot read file: {exc}"))
        return
    result.problems.extend(duplicate_key_problems(name, lines))
    try:
        bp = Blueprint.model_validate(data)
    except ValidationError as exc:
        result.problems.extend(validation_problems(exc, name, lines))
        return
    if bp.id in result.blueprints:
        result.problems.append(Problem(name, lines.line(("id",)), f"duplicate blueprint id '{bp.id}'"))
        return
    if path.stem != bp.id:
        result.problems.append(Problem(name, lines.line(("id",)), f"file name must be '{bp.id}.yaml'"))
    _add_skills(bp, name, lines, result)
    result.problems.extend(_untranslated_titles(bp, name, lines))
    result.blueprints[bp.id] = bp


def _untranslated_titles(bp: Blueprint, name: str, lines) -> list[Problem]:
    """Portuguese titles left as the English text (a copy made to silence the required field)."""
    return [Problem(name, lines.line((*loc, "title_pt-BR")),
                    f"missing translation: the pt-BR title of '{part.id}' is the English text")
            for loc, part in bp.titled_parts() if part.title_pt_br.casefold() == part.title.casefold()]


def _add_skills(bp: Blueprint, name: str, lines, result: BlueprintSet) -> None:
    for di, domain in enumerate(bp.domains):
        for gi, group in enumerate(domain.groups):
            for si, skill in enumerate(group.skills):
                if skill.id in result.skills:
                    loc = ("domains", di, "groups", gi, "skills", si, "id")
                    result.problems.append(Problem(name, lines.line(loc), f"duplicate skill id '{skill.id}'"))
                    continue
                result.skills[skill.id] = skill
