"""The shipped outlines and the blueprint loader's handling of bad files."""

from __future__ import annotations

from quizzes.blueprint import load_blueprints


def test_both_outlines_load_with_their_published_weights(blueprints):
    assert blueprints.problems == []
    old, new = blueprints.blueprints["dp-100-2020"], blueprints.blueprints["dp-100-2025"]
    assert [(d.title, d.weight) for d in old.domains] == [
        ("Manage Azure resources for machine learning", (25, 30)),
        ("Run experiments and train models", (20, 25)),
        ("Deploy and operationalize machine learning solutions", (35, 40)),
        ("Implement responsible machine learning", (5, 10)),
    ]
    assert [(d.title, d.weight) for d in new.domains] == [
        ("Design and prepare a machine learning solution", (20, 25)),
        ("Explore data and run experiments", (20, 25)),
        ("Train and deploy models", (25, 30)),
        ("Optimize language models for AI applications", (25, 30)),
    ]
    assert (old.status, new.status) == ("retired", "retired-successor-available")  # DP-100 retired in 2026
    ai300 = blueprints.blueprints["ai-300"]
    assert blueprints.current() is ai300 and blueprints.study_default() is ai300  # the successor opens first
    assert blueprints.exam_status(new).successor_outline == "ai-300"


def test_ai300_outline_is_current_and_says_it_is_reported_by_third_parties(blueprints):
    ai300 = blueprints.blueprints["ai-300"]
    assert ai300.status == "current" and ai300.confirmed_by_microsoft is False and len(ai300.sources) >= 2
    assert [(d.title, d.weight) for d in ai300.domains] == [
        ("Design and implement an MLOps infrastructure", (15, 20)),
        ("Implement the ML model lifecycle and operations", (25, 30)),
        ("Design and implement a GenAIOps infrastructure", (20, 25)),
        ("Implement generative AI quality assurance and observability", (10, 15)),
        ("Optimize generative AI systems", (10, 15)),
    ]
    assert all(s.id.startswith("ai300.") for s in ai300.skills())
    assert blueprints.exam_status(ai300).exam_offered


def test_skill_ids_are_unique_and_resolve_to_their_domain(blueprints):
    old = blueprints.blueprints["dp-100-2020"]
    assert len(old.skills()) > 60 and len(blueprints.blueprints["dp-100-2025"].skills()) > 50
    assert old.domain_of("2020.workspace.create").title.startswith("Manage Azure resources")
    assert old.domain_of("2025.resources.workspace") is None
    assert blueprints.skill_blueprint("2025.rag.vector-store").id == "dp-100-2025"


def test_titles_read_in_the_learners_language_and_title_stays_english(blueprints):
    new = blueprints.blueprints["dp-100-2025"]
    domain = new.domains[2]
    assert domain.title == domain.title_in("en") == "Train and deploy models"
    assert domain.title_in("pt-BR") == "Treinar e implantar modelos"
    assert domain.title_in("fr") == "Train and deploy models"  # a language without titles falls back to English
    skill = blueprints.skills["2025.deploy.online"]
    assert skill.title_in("pt-BR") == "Implantar um modelo em um endpoint online"
    assert new.title_in("pt-BR").startswith("Projetar e implementar")


def test_bad_blueprint_files_are_reported_not_raised(tmp_path):
    (tmp_path / "good.yaml").write_text("id: good\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    (tmp_path / "weights.yaml").write_text(
        "id: weights\nkey: w\nexam: X\ntitle: Test\ntitle_pt-BR: Teste\nstatus: current\ndate: 2025-01-01\n"
        "domains:\n  - id: w.a\n    title: Domain\n    title_pt-BR: Domínio\n    weight: [10, 20]\n    groups:\n"
        "      - id: w.g\n        title: Group\n        title_pt-BR: Grupo\n        skills:\n"
        "          - {id: w.g.s, title: Skill, title_pt-BR: Habilidade}\n",
        encoding="utf-8",
    )
    result = load_blueprints(tmp_path)
    assert result.blueprints == {}
    messages = {p.file.rsplit("/", 1)[-1]: p.message for p in result.problems}
    assert "YAML syntax error" in messages["broken.yaml"]
    assert "cannot add up to 100%" in messages["weights.yaml"]
    assert "required field is missing" in messages["good.yaml"]


def test_an_outline_may_set_the_minutes_per_question_of_its_practice_exam(blueprints):
    import pytest
    from pydantic import ValidationError

    from quizzes.blueprint import Blueprint

    data = blueprints.blueprints["dp-100-2025"].model_dump(by_alias=True)
    assert Blueprint.model_validate({**data, "minutes_per_question": 1.5}).minutes_per_question == 1.5
    assert Blueprint.model_validate(data).minutes_per_question is None  # the usual 2 minutes
    with pytest.raises(ValidationError):
        Blueprint.model_validate({**data, "minutes_per_question": 0})
