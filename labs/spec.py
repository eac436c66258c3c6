"""Lab specs as data: `labs/catalog/<NN-slug>/lab.yaml` (text, code, hints) plus `checks.py` (checks).

A lab's YAML holds everything a learner reads (English and Brazilian Portuguese), the starter code,
progressive hints and the reference solution of each step, and the names of the checks that grade it.
The check functions live next to it in `checks.py`; a spec naming a check that does not exist fails to
load, so a typo cannot hide a step that is never graded.

Per-attempt values (for example the capstone's random names) come from an optional
`params(rng) -> dict` function in `checks.py`; `{{name}}` in any text or code is replaced by them.
"""

from __future__ import annotations

import importlib.util
import random
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CATALOG = Path(__file__).parent / "catalog"
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class Text(BaseModel):
    """A text in English and Brazilian Portuguese (markdown)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    en: str
    pt_BR: str = Field(alias="pt-BR")

    def get(self, language: str = "en") -> str:
        """The text in `language` ("en" or "pt-BR"); English for anything else."""
        return self.pt_BR if language in ("pt-BR", "pt_BR", "pt") else self.en


class Prerequisite(Text):
    """What a learner should know or have done before a lab; `lab` names an earlier lab that teaches it."""

    lab: str | None = None

    @field_validator("lab")
    @classmethod
    def _lab_id(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d\d", value):
            raise ValueError(f"prerequisite lab {value!r} must be a lab id of two digits, e.g. '01'")
        return value


class Step(BaseModel):
    """One step of a lab."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: Text
    instructions: Text
    starter: str = ""
    hints: list[Text] = Field(min_length=2)
    solution: str
    checks: list[str] = Field(min_length=1)
    note: str = ""  # id of the study note that teaches this step

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
            raise ValueError(f"step id {value!r} must be lower-case letters, digits and dashes")
        return value


class LabSpec(BaseModel):
    """A whole lab: what it teaches, how long it takes, and its ordered steps."""

    model_config = ConfigDict(extra="forbid")
    id: str  # two digits, e.g. "01"
    slug: str
    title: Text
    summary: Text
    goals: list[Text] = Field(min_length=1)
    duration_minutes: int = Field(gt=0)
    skills: list[str] = Field(min_length=1)
    prerequisites: list[Prerequisite] = Field(min_length=1)
    sdk: Literal["v1", "v2"] = "v1"  # which Azure ML SDK the lab's code uses (v1 azureml-core, v2 azure-ai-ml)
    setup: str = ""  # Python run with the simulator active in the lab folder before the first step
    steps: list[Step] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _two_digits(cls, value: str) -> str:
        if not re.fullmatch(r"\d\d", value):
            raise ValueError(f"lab id {value!r} must be two digits, e.g. '01'")
        return value

    @model_validator(mode="after")
    def _unique_steps(self) -> LabSpec:
        ids = [s.id for s in self.steps]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"lab {self.id}: step ids repeat: {sorted(dupes)}")
        return self

    @property
    def key(self) -> str:
        """The lab's folder name, e.g. "01-workspace"."""
        return f"{self.id}-{self.slug}"

    def step(self, step_id: str) -> Step:
        """The step with this id (or 1-based number).

        Raises:
            KeyError: no such step.
        """
        for index, step in enumerate(self.steps, start=1):
            if step.id == step_id or str(index) == str(step_id):
                return step
        raise KeyError(f"Lab {self.id} has no step {step_id!r}; its steps are "
                       f"{', '.join(s.id for s in self.steps)}.")


class Lab:
    """A loaded lab: its spec and its check functions."""

    def __init__(self, spec: LabSpec, module: ModuleType, folder: Path):
        self.spec = spec
        self.module = module
        self.folder = folder

    @property
    def id(self) -> str:
        return self.spec.id

    def check(self, name: str) -> Callable:
        return getattr(self.module, name)

    def make_params(self, seed: int) -> dict:
        """Per-attempt values drawn from `seed` (empty when the lab has none)."""
        maker = getattr(self.module, "params", None)
        return dict(maker(random.Random(seed))) if maker else {}


def fill(text: str, params: dict) -> str:
    """Replace `{{name}}` placeholders by per-attempt values (unknown names are left as they are)."""
    if not params:
        return text
    return _PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), text)


def _load_module(folder: Path) -> ModuleType:
    path = folder / "checks.py"
    name = f"labs.catalog._checks_{folder.name.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_lab(folder: Path) -> Lab:
    """Load and validate one lab folder.

    Raises:
        ValueError: the YAML does not match the schema or names a check that `checks.py` lacks.
    """
    raw = yaml.safe_load((folder / "lab.yaml").read_text(encoding="utf-8"))
    spec = LabSpec.model_validate(raw)
    if folder.name != spec.key:
        raise ValueError(f"lab folder {folder.name!r} should be named {spec.key!r}")
    module = _load_module(folder)
    missing = [c for s in spec.steps for c in s.checks if not callable(getattr(module, c, None))]
    if missing:
        raise ValueError(f"lab {spec.id}: checks.py lacks the checks {missing}")
    misplaced = _misplaced_needs(spec, module)
    if misplaced:
        raise ValueError(f"lab {spec.id}: a check needs a check that is not listed before it in its step: "
                         f"{'; '.join(misplaced)}")
    return Lab(spec, module, folder)


def _misplaced_needs(spec: LabSpec, module: ModuleType) -> list[str]:
    """Checks whose `@needs(...)` names a check that is not earlier in the same step (it would never be seen)."""
    return [f"step {step.id}: {name} needs {need}" for step in spec.steps for i, name in enumerate(step.checks)
            for need in getattr(getattr(module, name), "needs", ()) if need not in step.checks[:i]]


@lru_cache(maxsize=1)
def catalog() -> dict[str, Lab]:
    """Every lab of the catalog by id, in order.

    Raises:
        ValueError: a lab fails to load, or names as its prerequisite a lab that is not an earlier one.
    """
    labs = {lab.id: lab for lab in (load_lab(p) for p in sorted(CATALOG.iterdir()) if (p / "lab.yaml").is_file())}
    wrong = [f"lab {lab.id} needs lab {p.lab}" for lab in labs.values() for p in lab.spec.prerequisites
             if p.lab is not None and (p.lab not in labs or p.lab >= lab.id)]
    if wrong:
        raise ValueError(f"A prerequisite must be an earlier lab of the catalogue: {'; '.join(wrong)}")
    return labs


def get_lab(lab_id: str | int) -> Lab:
    """A lab by id ("01", "1" or 1).

    Raises:
        KeyError: no lab with that id.
    """
    key = f"{int(lab_id):02d}" if str(lab_id).isdigit() else str(lab_id)
    labs = catalog()
    if key not in labs:
        raise KeyError(f"There is no lab {lab_id!r}; the labs are {', '.join(labs) or 'none yet'}.")
    return labs[key]
