"""Front matter of a note (the YAML block between `---` lines at the top of the markdown file)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from datafiles.freshness import Freshness, YearMonth

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Sdk = Literal["v1", "v2", "none"]


class NoteFrontMatter(BaseModel):
    """What a note declares about itself.

    English notes give every field; a pt-BR note gives `id` and `title` and inherits the rest from the
    English note with the same id (if it repeats a field, the value must be the same).

    Attributes:
        id: stable note id, also the file name (`<id>.md`) and the first half of `note-id#anchor`.
        title: shown as the note's heading.
        order: position in the reading order (smaller first).
        sdk: SDK generation(s) the note teaches: one of v1/v2/none, or a list such as [v1, v2].
        skills: skill ids (from any blueprint) the note teaches.
        sections: which skills each section teaches, `anchor: [skill ids]`.
        summary: one or two sentences for the table of contents.
        verified: `YYYY-MM` of the last check of the whole note against the documentation.
        valid_until: the last day the whole note is true (rarely needed: prefer a section's).
        freshness: per-section overrides, `anchor: {verified: YYYY-MM, valid_until: YYYY-MM-DD}`; a field a
            section leaves out comes from the note's.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]
    order: int | None = Field(default=None, ge=0)
    sdk: list[Sdk] | None = None
    skills: list[str] | None = None
    sections: dict[Slug, list[str]] | None = None
    summary: str | None = None
    verified: YearMonth | None = None
    valid_until: dt.date | None = None
    freshness: dict[Slug, Freshness] | None = None

    def note_freshness(self) -> Freshness:
        """The note-wide freshness (the default of every section)."""
        return Freshness(verified=self.verified, valid_until=self.valid_until)

    def section_freshness(self, anchor: str) -> Freshness:
        """A section's freshness: its own entry in `freshness`, completed by the note's."""
        own = (self.freshness or {}).get(anchor, Freshness())
        return own.over(self.note_freshness())

    @field_validator("sdk", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    def missing_for_english(self) -> list[str]:
        """Fields an English note must give."""
        return [name for name in ("order", "sdk", "skills") if getattr(self, name) is None]
