"""The YAML parse cache returns exactly what a fresh parse returns, and never gets in the way."""

from __future__ import annotations

import datetime as dt

import pytest

from datafiles.yamlsrc import YamlSyntaxError, derived_cached, load_yaml, load_yaml_file


@pytest.fixture(autouse=True)
def cache_on(monkeypatch):
    monkeypatch.setenv("DP100_CONTENT_CACHE", "on")


TEXT = "id: x\ndate: 2025-01-16\nitems:\n  - id: a\n    text: yes\n  - id: b\n    count: 3\n"


def _cache_files(home):
    return sorted((home / "cache" / "yaml").glob("*.json"))


def test_second_load_comes_from_the_cache_and_matches(tmp_path, dp100_home):
    path = tmp_path / "f.yaml"
    path.write_text(TEXT, encoding="utf-8")
    fresh, fresh_lines = load_yaml(TEXT)
    first, _ = load_yaml_file(path)
    assert len(_cache_files(dp100_home)) == 1
    cached, lines = load_yaml_file(path)
    assert cached == fresh == first
    assert cached["date"] == dt.date(2025, 1, 16) and cached["items"][0]["text"] is True
    for loc in [(), ("items", 1, "count"), ("items", 0, "missing"), ("date",)]:
        assert lines.line(loc) == fresh_lines.line(loc)
    assert lines.line(("items", 1, "count")) == 7


def test_a_damaged_cache_entry_is_ignored(tmp_path, dp100_home):
    path = tmp_path / "f.yaml"
    path.write_text(TEXT, encoding="utf-8")
    load_yaml_file(path)
    (entry,) = _cache_files(dp100_home)
    entry.write_text("{not json", encoding="utf-8")
    data, _ = load_yaml_file(path)
    assert data["id"] == "x"


def test_syntax_errors_are_reported_every_time(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(YamlSyntaxError):
            load_yaml_file(path)


def test_unwritable_home_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("DP100_HOME", str(blocker))
    path = tmp_path / "f.yaml"
    path.write_text(TEXT, encoding="utf-8")
    assert load_yaml_file(path)[0]["id"] == "x"


def test_an_edited_file_replaces_its_cache_entry(tmp_path, dp100_home):
    path = tmp_path / "f.yaml"
    path.write_text(TEXT, encoding="utf-8")
    load_yaml_file(path)
    path.write_text(TEXT.replace("id: x", "id: y"), encoding="utf-8")
    assert load_yaml_file(path)[0]["id"] == "y"
    assert len(_cache_files(dp100_home)) == 1


def test_the_cache_can_be_switched_off(tmp_path, dp100_home, monkeypatch):
    monkeypatch.setenv("DP100_CONTENT_CACHE", "off")
    path = tmp_path / "f.yaml"
    path.write_text(TEXT, encoding="utf-8")
    assert load_yaml_file(path)[0]["id"] == "x"
    assert not (dp100_home / "cache").exists()


def test_derived_data_is_cached_per_source_and_text(dp100_home):
    calls = []

    def count_words(text):
        calls.append(text)
        return [len(text.split())]

    assert derived_cached("a b c", "checks.py", count_words) == [3]
    assert derived_cached("a b c", "checks.py", count_words) == [3] and calls == ["a b c"]
    assert derived_cached("a b", "checks.py", count_words) == [2] and len(calls) == 2  # the source changed
    (entry,) = _cache_files(dp100_home)
    entry.write_text("{not json", encoding="utf-8")
    assert derived_cached("a b", "checks.py", count_words) == [2] and len(calls) == 3  # damaged: derived again
