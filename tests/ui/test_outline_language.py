"""Exam outline titles (outline, domains, groups, skills) read in the learner's language on every page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from progress import Record
from tests.ui.conftest import ROOT


def in_portuguese(page: str) -> AppTest:
    """A page of the app, opened by a learner who chose Português."""
    Record().set_setting("language", "pt-BR")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return at.switch_page(f"ui/pages/{page}").run()


def test_study_tree_shows_domains_groups_and_skills_in_portuguese():
    at = in_portuguese("study_page.py")
    assert not at.exception, [e.value for e in at.exception]
    outline = at.selectbox(key="study_bp")
    assert outline.value == "ai-300"  # the current exam's outline opens first
    assert outline.options[0].startswith("Operacionalizar soluções de machine learning e de IA generativa")
    assert any(o.startswith("Projetar e implementar uma solução de ciência de dados") for o in outline.options)
    outline.set_value("dp-100-2025").run()
    domain = at.selectbox(key="study_domain")
    assert "25–30% · Treinar e implantar modelos" in domain.options
    assert not any("Train and deploy models" in o for o in domain.options)
    domain.set_value("2025.train-deploy").run()
    assert "Implementar pipelines de treinamento" in [e.label for e in at.expander]
    assert any(m.value == "**Executar um script como job**" for m in at.markdown)


def test_study_tree_stays_in_english_for_an_english_learner():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at = at.switch_page("ui/pages/study_page.py").run()
    assert "25–30% · Implement the ML model lifecycle and operations" in at.selectbox(key="study_domain").options
    at.selectbox(key="study_bp").set_value("dp-100-2025").run()
    assert "25–30% · Train and deploy models" in at.selectbox(key="study_domain").options


def test_home_readiness_names_the_domains_in_portuguese():
    at = in_portuguese("home_page.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("Operacionalizar soluções de machine learning" in h.value for h in at.subheader)
    bars = [p.proto.text for p in at.get("progress")]
    assert any(b.startswith("Otimizar sistemas de IA generativa: ") for b in bars), bars
    assert any("Domínio mais fraco: **Projetar e implementar uma infraestrutura de MLOps" in m.value
               for m in at.markdown)


def test_progress_mastery_names_the_domains_in_portuguese():
    at = in_portuguese("progress_page.py")
    assert not at.exception, [e.value for e in at.exception]
    bars = [p.proto.text for p in at.get("progress")]
    assert any(b.startswith("Implementar o ciclo de vida e as operações de modelos de ML: ") for b in bars), bars


def test_practice_filters_name_the_domains_and_the_skill_in_portuguese(page_test):
    Record().set_setting("language", "pt-BR")
    at = page_test("quiz_page.py")
    at.query_params.update(mode="practice", skill="2025.rag.vector-store")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    domains = at.multiselect(key="practice_domains")
    assert "Otimizar modelos de linguagem para aplicações de IA" in domains.options
    assert not any("Optimize language models" in o for o in domains.options)
    assert any("Configurar um vector store" in c.value for c in at.caption)
    domains.set_value(["2025.language-models"]).run()
    assert at.multiselect(key="practice_domains").value == ["2025.language-models"]


def test_exam_score_report_names_the_domains_in_the_language_of_now(page_test, sample_bank):
    at = page_test("quiz_page.py")
    at.query_params["mode"] = "exam"
    at.run()
    at.selectbox(key="exam_bp").set_value("dp-100-2020").run()  # the fixture bank's skills are 2020 ones
    at.number_input(key="exam_total").set_value(3).run()
    at.button(key="exam_start").click().run()
    at.session_state["lang"] = "pt-BR"  # switched after the exam began (Settings, in the same session)
    at.button(key="exam_finish").click().run()
    assert not at.exception, [e.value for e in at.exception]
    bars = [p.proto.text for p in at.get("progress")]
    assert bars and all(b.split(":")[0] in PT_2020_DOMAINS for b in bars), bars


PT_2020_DOMAINS = {"Gerenciar recursos do Azure para machine learning", "Executar experimentos e treinar modelos",
                   "Implantar e operacionalizar soluções de machine learning",
                   "Implementar machine learning responsável"}


def test_labs_filtered_by_a_skill_name_it_in_portuguese():
    Record().set_setting("language", "pt-BR")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["skill"] = "2020.workspace.create"
    at.run()
    at = at.switch_page("ui/pages/labs_page.py").run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    assert "Laboratórios que praticam Criar um workspace do Azure Machine Learning" in captions, captions


def test_an_exam_on_an_outline_without_questions_says_so_in_portuguese(sample_bank):
    Record().set_setting("language", "pt-BR")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at = at.switch_page("ui/pages/quiz_page.py")
    at.query_params["mode"] = "exam"
    at.run()
    at.selectbox(key="exam_bp").set_value("dp-100-2025").run()  # the fixture bank only tests the 2020 outline
    at.button(key="exam_start").click().run()
    assert "Nenhuma questão do banco cobre ainda o roteiro" in at.error[0].value
    assert "exam" not in at.session_state
