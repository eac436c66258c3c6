"""Ranked full-text search over note sections, in English and Brazilian Portuguese.

Each section (in each language) is a document with three fields: the note title, the section heading
and the body. Ranking is BM25 with heading and title matches weighted up, accent- and case-insensitive,
with a light plural stemmer, prefix matching of the last query word (search as you type), a bonus
when the whole query appears as a phrase, and a larger one when the section's heading holds every query
word: a learner who types a topic's name wants the section about it before code that mentions it. A
word's prefix completions count once per section (the best of them), so a code sample full of
identifiers that start with the word (`datastore_name`, `datastore_paths`...) does not pile them up.
A hit names the note and the section anchor to open.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from content.notes import Note, NoteLibrary, Section

# Code samples count less than prose: a sample that uses a name ten times is not ten times about it.
FIELD_WEIGHTS = {"title": 2.0, "heading": 3.0, "body": 1.0, "code": 0.4}
K1, B = 1.2, 0.75
PREFIX_WEIGHT = 0.5
PHRASE_BONUS = 1.5
HEADING_BONUS = 2.5  # every query word is in the section's heading
_WORD = re.compile(r"[a-z0-9_]+")
_CODE_BLOCK = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_STOPWORDS = frozenset(
    "a an and are as at be by for from how in is it its of on or that the this to was what when where which "
    "with you your do does can o os as um uma uns umas e de do da dos das em no na nos nas para por com que "
    "se ao aos como mais ou ser sao seu sua".split()
)


@dataclass(frozen=True)
class SearchHit:
    """One matching section.

    Attributes:
        note_id: id of the note; `ref` gives `note-id#anchor` for links.
        lang: language of the matching text.
        anchor: the section anchor ("" for the note's introduction).
        note_title: title of the note in that language.
        section_title: heading of the section (the note title for the introduction).
        score: relevance (higher is better; only comparable within one search).
        snippet: a short extract of the section around the first match, matches in `**bold**`.
    """

    note_id: str
    lang: str
    anchor: str
    note_title: str
    section_title: str
    score: float
    snippet: str

    @property
    def ref(self) -> str:
        """`note-id#anchor` (or just the note id for the introduction)."""
        return f"{self.note_id}#{self.anchor}" if self.anchor else self.note_id


@dataclass(frozen=True)
class _Doc:
    note: Note
    section: Section
    length: float
    plain: str
    phrase_text: str  # folded words joined by single spaces, for the phrase bonus
    heading_terms: frozenset[str]  # the heading's search terms, for the heading bonus


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)[:1] or char
    return base.lower() if len(base.lower()) == 1 else char.lower()[:1] or char


def fold(text: str) -> str:
    """Lowercase and strip accents, keeping the length (one character in, one out)."""
    return "".join(_fold_char(c) for c in text)


def stem(word: str) -> str:
    """A light plural stemmer shared by English and Portuguese: a word and its plural get one stem.

    `-es` after r, s or z and a final `-s` go (`valores` -> `valor`, `processes` -> `process`), then a final
    `-e` of a longer word (`datastore` and `datastores` -> `datastor`; the r-rule alone gave `datastores` ->
    `datastor` but left `datastore` whole, so the singular did not find the plural).
    """
    if len(word) > 4 and word.endswith("es") and word[-3] in "rsz":
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def tokens(text: str) -> list[str]:
    """Search terms of a text: folded words, identifiers also split at `_`, stop words dropped."""
    found = []
    for word in _WORD.findall(fold(text)):
        parts = [word, *word.split("_")] if "_" in word else [word]
        found.extend(stem(p) for p in parts if p and p not in _STOPWORDS)
    return found


def _plain(markdown: str) -> str:
    text = re.sub(r"```[^\n]*", " ", markdown)
    text = re.sub(r"[*`|#>]+|-{3,}", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


class SearchIndex:
    """An inverted index over every section of every note; build once, search many times."""

    def __init__(self, library: NoteLibrary) -> None:
        self._docs: list[_Doc] = []
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._lang_docs: Counter[str] = Counter()
        self._avg_len: dict[str, float] = {}
        for note in library.all_notes():
            for section in note.sections:
                self._add(note, section)
        self._vocabulary = sorted(self._postings)
        self._finish_lengths()

    def _add(self, note: Note, section: Section) -> None:
        plain = _plain(section.body)
        heading = section.title or ""
        code = "\n".join(_CODE_BLOCK.findall(section.body))
        prose = _plain(_CODE_BLOCK.sub(" ", section.body))
        counts: Counter[str] = Counter()
        for field_name, text in (("title", note.title), ("heading", heading), ("body", prose), ("code", code)):
            for term in tokens(text):
                counts[term] += FIELD_WEIGHTS[field_name]
        doc_id = len(self._docs)
        phrase_text = " ".join(_WORD.findall(fold(f"{heading} {plain}")))
        self._docs.append(_Doc(note, section, float(sum(counts.values())), plain, phrase_text,
                               frozenset(tokens(heading))))
        self._lang_docs[note.lang] += 1
        for term, weight in counts.items():
            self._postings[term].append((doc_id, weight))

    def _finish_lengths(self) -> None:
        totals: Counter[str] = Counter()
        for doc in self._docs:
            totals[doc.note.lang] += doc.length
        self._avg_len = {lang: totals[lang] / n for lang, n in self._lang_docs.items() if n}

    def __len__(self) -> int:
        return len(self._docs)

    def search(self, query: str, lang: str | None = "en", limit: int = 10) -> list[SearchHit]:
        """Sections that match the query, best first.

        Args:
            query: free text; accents and case do not matter; the last word also matches as a prefix.
            lang: "en" or "pt-BR" to search one language, None for both.
            limit: at most this many hits.
        """
        terms = self._query_terms(query)
        if not terms:
            return []
        scores: dict[int, float] = defaultdict(float)
        completions: dict[int, float] = defaultdict(float)
        for term, weight in terms.items():
            # A completion of the last word counts once per section: its best one.
            self._score_term(term, weight, lang, scores if weight == 1.0 else completions, keep_best=weight != 1.0)
        for doc_id, extra in completions.items():
            scores[doc_id] += extra
        self._apply_bonuses(query, terms, scores)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self._docs[kv[0]].note.order, kv[0]))
        return [self._hit(doc_id, score, terms) for doc_id, score in ranked[:limit]]

    def _apply_bonuses(self, query: str, terms: dict[str, float], scores: dict[int, float]) -> None:
        """The phrase bonus (the whole query in the text) and the heading bonus (every query word in the heading)."""
        phrase = " ".join(_WORD.findall(fold(query)))
        words = tokens(query)
        for doc_id in scores:
            doc = self._docs[doc_id]
            if " " in phrase and phrase in doc.phrase_text:
                scores[doc_id] *= PHRASE_BONUS
            if words and all(self._in_heading(word, doc, terms, last=i == len(words) - 1)
                             for i, word in enumerate(words)):
                scores[doc_id] *= HEADING_BONUS

    @staticmethod
    def _in_heading(word: str, doc: _Doc, terms: dict[str, float], last: bool) -> bool:
        if word in doc.heading_terms:
            return True
        # The word still being typed may be the start of a heading word ("datast" -> "Datastores").
        return last and any(term.startswith(word) and term in terms for term in doc.heading_terms)

    def _query_terms(self, query: str) -> dict[str, float]:
        words = tokens(query)
        terms = {w: 1.0 for w in words}
        still_typing = not query[-1:].isspace()
        if words and still_typing:
            last = words[-1]
            start = bisect.bisect_left(self._vocabulary, last)
            for candidate in self._vocabulary[start:start + 50]:
                if not candidate.startswith(last):
                    break
                terms.setdefault(candidate, PREFIX_WEIGHT)
        return terms

    def _score_term(self, term: str, weight: float, lang: str | None, scores: dict[int, float],
                    keep_best: bool = False) -> None:
        postings = self._postings.get(term)
        if not postings:
            return
        docs = self._docs
        n_total = sum(self._lang_docs.values()) if lang is None else self._lang_docs.get(lang, 0)
        matching = [(d, tf) for d, tf in postings if lang is None or docs[d].note.lang == lang]
        if not matching or not n_total:
            return
        idf = math.log(1 + (n_total - len(matching) + 0.5) / (len(matching) + 0.5))
        for doc_id, tf in matching:
            doc = docs[doc_id]
            norm = K1 * (1 - B + B * doc.length / self._avg_len[doc.note.lang])
            value = weight * idf * tf * (K1 + 1) / (tf + norm)
            scores[doc_id] = max(scores[doc_id], value) if keep_best else scores[doc_id] + value

    def _hit(self, doc_id: int, score: float, terms: dict[str, float]) -> SearchHit:
        doc = self._docs[doc_id]
        section_title = doc.section.title or doc.note.title
        return SearchHit(doc.note.id, doc.note.lang, doc.section.anchor, doc.note.title, section_title,
                         round(score, 4), snippet(doc.plain, terms))


def snippet(plain: str, terms: dict[str, float], width: int = 180) -> str:
    """About `width` characters of `plain` around the first matching word, matches in `**bold**`."""
    folded = fold(plain)
    spans = [(m.start(), m.end()) for m in _WORD.finditer(folded)
             if stem(m.group()) in terms or any(stem(p) in terms for p in m.group().split("_"))]
    if not spans:
        return plain[:width] + ("…" if len(plain) > width else "")
    start = max(0, spans[0][0] - width // 3)
    end = min(len(plain), start + width)
    out, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out += [plain[cursor:s], "**", plain[s:e], "**"]
        cursor = e
    out.append(plain[cursor:end])
    text = "".join(out).strip()
    return ("…" if start > 0 else "") + text + ("…" if end < len(plain) else "")


# Parts of a note's markdown whose words must not be marked: code (fenced or inline), links, HTML and heading
# anchors (`{#id}`).
_UNMARKABLE = re.compile(r"```.*?(?:```|\Z)|`[^`\n]*`|\[[^\]]*\]\([^)]*\)|<[^>\n]*>|\{#[^}\n]*\}", re.DOTALL)


def highlight(markdown: str, query: str, mark) -> str:
    """The markdown with every word of the query (as search matches it: folded, stemmed) wrapped by `mark`.

    Code, links and HTML are left as they are (a mark inside them would break them). A word of a query still
    being typed matches as a prefix too, as in `SearchIndex.search`.
    """
    wanted = set(tokens(query))
    if not wanted:
        return markdown
    prefix = tokens(query)[-1] if not query[-1:].isspace() else None
    out, cursor = [], 0
    for skip in [*_UNMARKABLE.finditer(markdown), None]:
        end = skip.start() if skip else len(markdown)
        out.append(_mark_words(markdown[cursor:end], wanted, prefix, mark))
        if skip:
            out.append(skip.group())
            cursor = skip.end()
    return "".join(out)


def _mark_words(text: str, wanted: set[str], prefix: str | None, mark) -> str:
    folded, out, cursor = fold(text), [], 0
    for match in re.finditer(r"[a-z0-9]+", folded):
        term = stem(match.group())
        if term in wanted or (prefix and term.startswith(prefix)):
            out += [text[cursor:match.start()], mark(text[match.start():match.end()])]
            cursor = match.end()
    out.append(text[cursor:])
    return "".join(out)
