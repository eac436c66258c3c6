"""AI-300 exam forms from the shipped bank: assembled by its weights, and thin domains reported before the start."""

from __future__ import annotations

from collections import Counter

from quizzes.bank import load_bank
from quizzes.forms import allocate, assemble, question_domain, thin_domains


def _ai300_questions(blueprints):
    bank = load_bank(blueprints=blueprints)
    ai300 = blueprints.blueprints["ai-300"]
    return bank, ai300, [q for q in bank.questions.values() if question_domain(q, ai300)]


def test_an_ai300_form_is_assembled_from_the_shipped_bank(blueprints):
    bank, ai300, tested = _ai300_questions(blueprints)
    assert len(tested) >= 100  # new AI-300 questions plus the DP-100 ones mapped to AI-300 skills
    form = assemble(bank.questions.values(), ai300, total=40, seed=3)
    assert len(form.items) == 40 and len({it.question_id for it in form.items}) == 40
    domains = Counter(it.domain_id for it in form.items)
    assert set(domains) <= {d.id for d in ai300.domains}
    wanted = allocate(ai300, 40)
    for domain, n in wanted.items():  # a domain that has enough questions gets exactly its share
        if domain not in form.shortfall:
            assert domains[domain] >= n


def test_only_sdk_v2_questions_serve_ai300(blueprints):
    _, _, tested = _ai300_questions(blueprints)
    assert {q.sdk for q in tested} <= {"v2", "none"}  # AI-300 is taught on SDK v2 / CLI v2 only


def test_mapped_dp100_questions_count_for_both_outlines(blueprints):
    bank, ai300, _ = _ai300_questions(blueprints)
    dp100 = blueprints.blueprints["dp-100-2025"]
    shared = [q for q in bank.questions.values() if question_domain(q, ai300) and question_domain(q, dp100)]
    assert len(shared) >= 30  # reused by skill mapping, not copied


def test_thin_domains_names_each_domain_that_cannot_fill_its_share(blueprints):
    bank, ai300, tested = _ai300_questions(blueprints)
    first = ai300.domains[0].id
    only_first = [q for q in tested if question_domain(q, ai300) == first]
    thin = thin_domains(only_first, ai300, 20)
    assert first not in thin  # it has questions enough for its share of 20
    assert set(thin) == {d.id for d in ai300.domains[1:]}
    assert all(have == 0 and wanted > 0 for have, wanted in thin.values())
    # A one-question form asks only the heaviest domain (model lifecycle, 25-30%) for its question.
    assert thin_domains(only_first, ai300, 1) == {ai300.domains[1].id: (0, 1)}
