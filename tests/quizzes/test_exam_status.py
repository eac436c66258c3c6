"""The exam's status as data: DP-100 retired with AI-300 as successor, older outlines lead to the newest."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from quizzes.blueprint import BLUEPRINTS_DIR, load_blueprints


def test_dp100_is_retired_with_ai300_as_its_successor(blueprints):
    status = blueprints.exam_status(blueprints.blueprints["dp-100-2025"])
    assert status.state == "retired-successor-available" and not status.exam_offered
    assert status.retirement.retired_on == dt.date(2026, 6, 1)
    assert status.retirement.confirmed_by_microsoft is False  # third parties only: screens must say so
    assert all(s.startswith("https://") for s in status.retirement.sources) and len(status.retirement.sources) >= 2
    successor = status.retirement.successor
    assert successor.exam == "AI-300"
    assert successor.title == "Operationalizing Machine Learning and Generative AI Solutions"
    assert "MLOps" in successor.certification and successor.title_in("pt-BR") != successor.title
    assert status.outline_replaced is False and status.successor_outline == "ai-300"  # its outline is loaded


def test_an_older_outline_reports_the_exam_of_its_newest_outline(blueprints):
    status = blueprints.exam_status(blueprints.blueprints["dp-100-2020"])
    assert status.outline_replaced and status.latest.id == "dp-100-2025"
    assert status.state == "retired-successor-available" and status.retirement.successor.exam == "AI-300"


def test_outlines_are_ordered_current_first_then_newest(tmp_path: Path):
    folder = tmp_path / "blueprints"
    shutil.copytree(BLUEPRINTS_DIR, folder)
    bps = load_blueprints(folder)
    assert [b.id for b in bps.ordered()] == ["ai-300", "dp-100-2025", "dp-100-2020"]
    (folder / "ai-300.yaml").unlink()  # with no current outline, the newest retired one comes first
    assert [b.id for b in load_blueprints(folder).ordered()] == ["dp-100-2025", "dp-100-2020"]
    text = (folder / "dp-100-2025.yaml").read_text(encoding="utf-8")
    (folder / "dp-100-2025.yaml").write_text(text.replace("    blueprint: ai-300\n", ""), encoding="utf-8")
    text = (folder / "dp-100-2020.yaml").read_text(encoding="utf-8")
    (folder / "dp-100-2020.yaml").write_text(text.replace("status: retired\nreplaced_by: dp-100-2025\n",
                                                          "status: current\n"), encoding="utf-8")
    bps = load_blueprints(folder)
    assert bps.problems == []
    assert [b.id for b in bps.ordered()] == ["dp-100-2020", "dp-100-2025"]
    assert bps.current().id == bps.study_default().id == "dp-100-2020"
    assert bps.exam_status(bps.current()).exam_offered


def _broken(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    folder = tmp_path / "blueprints"
    shutil.copytree(BLUEPRINTS_DIR, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return [str(p) for p in load_blueprints(folder).problems]


def test_a_successor_status_needs_the_retirement_facts(tmp_path):
    text = (BLUEPRINTS_DIR / "dp-100-2025.yaml").read_text(encoding="utf-8")
    block = text[text.index("retirement:\n"):text.index("domains:\n")]
    problems = _broken(tmp_path, "dp-100-2025.yaml", block, "")
    assert any("status retired-successor-available needs retirement" in p for p in problems), problems


def test_a_third_party_date_must_still_cite_its_sources(tmp_path):
    text = (BLUEPRINTS_DIR / "dp-100-2025.yaml").read_text(encoding="utf-8")
    sources = text[text.index("  sources:\n"):text.index("  successor:\n")]
    problems = _broken(tmp_path, "dp-100-2025.yaml", sources, "  sources: []\n")
    assert any("retirement.sources" in p for p in problems), problems


def test_replaced_by_must_name_a_loaded_outline(tmp_path):
    problems = _broken(tmp_path, "dp-100-2020.yaml", "replaced_by: dp-100-2025\n", "replaced_by: dp-100-2099\n")
    assert any(p.endswith("dp-100-2020.yaml:1: replaced_by 'dp-100-2099' names no loaded blueprint") for p in problems)


def test_a_current_outline_cannot_be_replaced(tmp_path):
    problems = _broken(tmp_path, "dp-100-2020.yaml", "status: retired\nreplaced_by:", "status: current\nreplaced_by:")
    assert any("a current outline cannot be replaced_by 'dp-100-2025'" in p for p in problems), problems


def test_the_current_outline_knows_the_retired_exam_it_replaced(blueprints):
    ai300 = blueprints.blueprints["ai-300"]
    assert [b.id for b in blueprints.predecessors(ai300)] == ["dp-100-2025"]
    assert blueprints.predecessors(blueprints.blueprints["dp-100-2025"]) == []
