"""The question schema: seven item types sharing one set of common fields.

Every question has a stable `id`, the `skills` it tests (ids from any blueprint), an `sdk` tag, a
`difficulty`, a `stem`, a `rationale` for every option, `references` (a note anchor `note-id#anchor` and
a Microsoft Learn URL) and `scoring` data. Answers point at option ids, never at positions, so options
can be shuffled. Cross-field rules (answer among the options, gaps present in the code...) live in
`quizzes.rules` so they can be reported with the exact line of the field at fault.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from datafiles.freshness import Freshness, YearMonth

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LocalId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")]
Lang = Literal["pt-BR"]
ITEM_TYPES = ("single", "multiple", "ordering", "match", "dropdown", "yesno", "case_study")
LANGUAGES = ("en", "pt-BR")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """A choice the learner can pick, with why it is right or wrong."""

    id: LocalId
    text: Text
    rationale: Text


class Scoring(_Strict):
    """How the parts of an item earn points.

    Attributes:
        partial_credit: each correct part earns its points (the exam's rule for multi-part items);
            when False the item earns its points only if every part is right.
        points: optional weight per part id (default 1 each); see `Question.parts()` for part ids.
    """

    partial_credit: bool = True
    points: dict[str, float] = Field(default_factory=dict)


# --- type-specific fields (shared by top-level questions and case-study sub-questions) ---------------


class SingleFields(_Strict):
    """Single choice: exactly one option is right."""

    type: Literal["single"]
    options: list[Option] = Field(min_length=2)
    answer: LocalId

    def part_ids(self) -> list[str]:
        return ["answer"]


class MultipleFields(_Strict):
    """Multiple choice, "choose N": `answer` lists the N right option ids and `choose` says N."""

    type: Literal["multiple"]
    choose: int = Field(ge=2)
    options: list[Option] = Field(min_length=3)
    answer: list[LocalId] = Field(min_length=2)

    def part_ids(self) -> list[str]:
        return list(self.answer)


class OrderingFields(_Strict):
    """Build a list: `answer` is the right sequence of item ids; items left out of it are distractors."""

    type: Literal["ordering"]
    items: list[Option] = Field(min_length=2)
    answer: list[LocalId] = Field(min_length=2)

    def part_ids(self) -> list[str]:
        return [f"position-{i + 1}" for i in range(len(self.answer))]


class Target(_Strict):
    """A slot in a matching item; `answer` is the id of the value that belongs in it."""

    id: LocalId
    text: Text
    answer: LocalId
    rationale: Text | None = None


class MatchFields(_Strict):
    """Drag-drop matching: each target takes one value; a value may fit once, several times or never."""

    type: Literal["match"]
    values: list[Option] = Field(min_length=2)
    targets: list[Target] = Field(min_length=2)

    def part_ids(self) -> list[str]:
        return [t.id for t in self.targets]


class Gap(_Strict):
    """One drop-down in a code snippet: the code holds `{{id}}` where the chosen option goes."""

    id: LocalId
    options: list[Option] = Field(min_length=2)
    answer: LocalId


class DropdownFields(_Strict):
    """Drop-down code completion: a snippet with gaps, each gap a list of options."""

    type: Literal["dropdown"]
    language: str = "python"
    code: Text
    gaps: list[Gap] = Field(min_length=1)

    def part_ids(self) -> list[str]:
        return [g.id for g in self.gaps]


class Statement(_Strict):
    """One statement of a yes/no series; `answer` is True for Yes."""

    id: LocalId
    text: Text
    answer: bool
    rationale: Text


class YesNoFields(_Strict):
    """A series of statements about the shared scenario in the stem, each answered Yes or No."""

    type: Literal["yesno"]
    statements: list[Statement] = Field(min_length=2)

    def part_ids(self) -> list[str]:
        return [s.id for s in self.statements]


# --- common fields --------------------------------------------------------------------------------------


class Common(_Strict):
    """Fields every top-level question carries."""

    id: QuestionId
    skills: list[str] = Field(min_length=1)
    sdk: Literal["v1", "v2", "none"]
    difficulty: Literal["easy", "medium", "hard"]
    stem: Text
    references: list[str] = Field(min_length=1)
    scoring: Scoring = Field(default_factory=Scoring)
    tags: list[str] = Field(default_factory=list)
    translations: dict[Lang, dict[str, Any]] = Field(default_factory=dict)
    verified: YearMonth | None = None  # YYYY-MM of the last check against the documentation
    valid_until: dt.date | None = None  # the last day what it teaches is true (a VM size, a model version)

    def freshness(self) -> Freshness:
        """When the question was last verified and until when it holds."""
        return Freshness(verified=self.verified, valid_until=self.valid_until)

    def parts(self) -> list[tuple[str, float]]:
        """(part id, points) for every scorable part; weights come from `scoring.points`."""
        return [(p, self.scoring.points.get(p, 1.0)) for p in self.part_ids()]  # type: ignore[attr-defined]

    @property
    def max_points(self) -> float:
        """Points for a fully correct answer."""
        return sum(points for _, points in self.parts())

    def note_refs(self) -> list[str]:
        """References of the form `note-id#anchor`."""
        return [r for r in self.references if not r.startswith(("http://", "https://"))]


class SubCommon(_Strict):
    """Fields of a case-study sub-question; skills, sdk and difficulty default to the case's."""

    id: LocalId
    stem: Text
    skills: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)


class SubSingle(SubCommon, SingleFields):
    """Single-choice sub-question of a case study."""


class SubMultiple(SubCommon, MultipleFields):
    """Multiple-choice sub-question of a case study."""


class SubOrdering(SubCommon, OrderingFields):
    """Ordering sub-question of a case study."""


class SubMatch(SubCommon, MatchFields):
    """Matching sub-question of a case study."""


class SubDropdown(SubCommon, DropdownFields):
    """Code-completion sub-question of a case study."""


class SubYesNo(SubCommon, YesNoFields):
    """Yes/no series sub-question of a case study."""


SubQuestion = Annotated[
    SubSingle | SubMultiple | SubOrdering | SubMatch | SubDropdown | SubYesNo, Field(discriminator="type")
]


class Tab(_Strict):
    """One tab of a case study's scenario (overview, existing environment, requirements...)."""

    id: LocalId
    title: Text
    body: Text


class CaseStudyFields(_Strict):
    """A tabbed scenario with several sub-questions; its parts are the sub-questions' parts."""

    type: Literal["case_study"]
    tabs: list[Tab] = Field(min_length=1)
    questions: list[SubQuestion] = Field(min_length=2)

    def part_ids(self) -> list[str]:
        return [f"{q.id}/{p}" for q in self.questions for p in q.part_ids()]


class SingleChoice(Common, SingleFields):
    """A single-choice question."""


class MultipleChoice(Common, MultipleFields):
    """A multiple-choice ("choose N") question."""


class Ordering(Common, OrderingFields):
    """An ordering (build a list) question."""


class Match(Common, MatchFields):
    """A drag-drop matching question."""


class Dropdown(Common, DropdownFields):
    """A drop-down code-completion question."""


class YesNo(Common, YesNoFields):
    """A yes/no statement series on a shared scenario."""


class CaseStudy(Common, CaseStudyFields):
    """A case study: tabs of scenario plus several sub-questions."""


Question = Annotated[
    SingleChoice | MultipleChoice | Ordering | Match | Dropdown | YesNo | CaseStudy,
    Field(discriminator="type"),
]
QUESTION_ADAPTER: TypeAdapter[Question] = TypeAdapter(Question)


class BankFile(BaseModel):
    """Top level of a `quizzes/bank/*.yaml` file (questions are validated one by one)."""

    model_config = ConfigDict(extra="forbid")

    require_translations: list[Lang] = Field(default_factory=list)
    questions: list[Any] = Field(min_length=1)
