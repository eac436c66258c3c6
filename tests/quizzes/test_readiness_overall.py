"""An outline's overall readiness weighs its domains by the middle of their weight ranges."""

from __future__ import annotations

from types import SimpleNamespace

from quizzes.readiness import DomainReadiness, overall


def test_overall_weighs_domains_by_their_weight_ranges():
    outline = SimpleNamespace(domains=[SimpleNamespace(id="a", weight=(10, 20)),
                                       SimpleNamespace(id="b", weight=(40, 50))])
    domains = [DomainReadiness("a", "A", 4, 10, 1.0), DomainReadiness("b", "B", 0, 10, 0.0)]
    assert overall(outline, domains) == 15 / 60
    assert overall(outline, []) == 0.0
