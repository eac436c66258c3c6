"""Short stems: the labels that name a question in the exam's result list and review screen."""

from __future__ import annotations

from quizzes.wording import short_stem


def test_a_short_stem_is_kept_whole_on_one_line():
    assert short_stem("Which metric\nshould you use?") == "Which metric should you use?"


def test_a_long_stem_is_cut_at_a_word_and_marked():
    stem = "A screening model flags patients for a follow-up test. Missing a sick patient is far worse."
    label = short_stem(stem, limit=40)
    assert label == "A screening model flags patients for a …"
    assert len(label) <= 42


def test_inline_code_cut_in_the_middle_is_closed_and_markup_is_dropped():
    label = short_stem("Run **`az ml job create --file job.yml --web`** to submit it", 35)
    assert label.count("`") == 2 and "**" not in label and label.endswith("…")
    assert short_stem("Read [the docs](https://x.y) first") == "Read the docs first"


def test_a_long_path_early_in_the_stem_is_cut_inside_rather_than_dropped():
    stem = "In a notebook you call `pd.read_csv(\"azureml://subscriptions/.../datastores/blob/paths/sales.csv\")` and"
    label = short_stem(stem, limit=60)
    assert label.startswith("In a notebook you call `pd.read_csv(") and label.endswith("` …")
    assert len(label) > 50


def test_a_case_study_is_known_by_its_scenario_and_other_items_by_their_stem():
    from quizzes.items import QUESTION_ADAPTER
    from quizzes.wording import identifying_text

    common = {"skills": ["t.g.s"], "sdk": "none", "difficulty": "easy",
              "references": ["n#a", "https://learn.microsoft.com/x"]}
    yesno = {"type": "yesno", "id": "q2", "stem": "About it.",
             "statements": [{"id": "s1", "text": "x", "answer": True, "rationale": "r"},
                            {"id": "s2", "text": "y", "answer": False, "rationale": "r"}]}
    case = QUESTION_ADAPTER.validate_python({
        "id": "case-1", **common, "type": "case_study", "stem": "Read the scenario, then answer.",
        "tabs": [{"id": "o", "title": "Overview", "body": "Contoso forecasts demand per store."}],
        "questions": [yesno, {**yesno, "id": "q3"}]})
    assert identifying_text(case) == "Contoso forecasts demand per store."
    assert identifying_text(case.questions[0]) == "About it."
