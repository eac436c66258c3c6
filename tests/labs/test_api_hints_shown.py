"""The hints a learner revealed come back with the steps, so a refreshed page shows them again."""

from __future__ import annotations

from labs import api


def test_revealed_hints_are_listed_with_the_steps():
    assert api.steps("01")[0]["hints_shown"] == []
    first = api.next_hint("01", "create-workspace")
    both = api.next_hint("01", "create-workspace", language="pt-BR")
    step = api.steps("01", language="pt-BR")[0]
    assert step["hints_shown"] == both and len(both) == 2 and step["hints_used"] == 2
    assert api.steps("01")[0]["hints_shown"][0] == first[0]  # English text for an English page
