"""Freshness as a property of the content: when a fact was last checked, and when it stops being true.

A question, a note, or one section of a note may carry:

- `verified: YYYY-MM`: the month someone last checked it against Microsoft's documentation;
- `valid_until: YYYY-MM-DD`: the day it stops being true, for what teaches something with an end date
  (a VM size, a model version, a pricing tier, an exam).

`dp100 content check` reports every item whose `valid_until` has passed, and, with `--verified-since`,
every item not verified since a given month.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

_YEAR_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def parse_year_month(value: Any) -> str:
    """`value` as a `YYYY-MM` string; a clear ValueError for anything else (a full date included).

    Raises:
        ValueError: when the value is not a year and month.
    """
    if isinstance(value, str) and _YEAR_MONTH.fullmatch(value.strip()):
        return value.strip()
    shown = value.isoformat() if isinstance(value, dt.date) else repr(value)
    raise ValueError(f"must be a year and month written YYYY-MM (for example 2026-12), not {shown}")


# The pattern repeats the check for the JSON Schema (editors); the validator gives the clear message.
YearMonth = Annotated[str, BeforeValidator(parse_year_month), StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


class Freshness(BaseModel):
    """When a piece of content was last verified and until when it holds (both optional).

    Attributes:
        verified: year and month of the last check against the documentation, `YYYY-MM`.
        valid_until: the last day the content is true (a retirement date, an end of support).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    verified: YearMonth | None = None
    valid_until: dt.date | None = None

    def over(self, default: Freshness | None) -> Freshness:
        """This freshness with each missing field taken from `default` (a note's, under a section's)."""
        if default is None:
            return self
        return Freshness(verified=self.verified or default.verified,
                         valid_until=self.valid_until or default.valid_until)

    def expired(self, today: dt.date) -> bool:
        """Whether `valid_until` is before `today` (the content stopped being true)."""
        return self.valid_until is not None and self.valid_until < today

    def verified_before(self, since: str) -> bool:
        """Whether the last check is older than the month `since` (never verified counts as older)."""
        return self.verified is None or self.verified < parse_year_month(since)
