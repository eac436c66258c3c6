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
