"""The rules of /tim: a keyword matches whole words of a task's content, product,
units or recorded evidence, without diacritics or case ("dan chu" finds "Quy chế dân
chủ"); every word must match somewhere; the phrase in the content ranks first. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from models.unit_names import fold

MAX_QUERY = 100  # characters of a keyword
MAX_WORDS = 8
PREFIX_FROM = 4  # a word this long also matches the start of a longer one ("chuyen" → "chuyendoi")
_WORD = re.compile(r"[a-z0-9]+")


def words_of(text: str) -> list[str]:
    """Folded words: "Quy chế Dân chủ" → ["quy", "che", "dan", "chu"]."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]

    @property
    def phrase(self) -> str:
        return " ".join(self.words)


def read_query(text: str) -> tuple[Query | None, str | None]:
    """The query, or why not: "empty" (no word in it) or "long" (over the bounds)."""
    text = text.strip()
    if len(text) > MAX_QUERY:
        return None, "long"
    words = words_of(text)
    if not words:
        return None, "empty"
    if len(words) > MAX_WORDS:
        return None, "long"
    return Query(tuple(dict.fromkeys(words))), None


@dataclass(frozen=True)
class Haystack:
    """What one task is searched in, folded."""

    content: tuple[str, ...]
    others: frozenset[str]

    @classmethod
    def of(cls, content: str, others: Iterable[str]) -> Haystack:
        words = tuple(words_of(content))
        # A task's history repeats its words ("đang thực hiện" twenty times): fold each once.
        rest = {w for text in dict.fromkeys(others) if text for w in words_of(text)}
        return cls(words, frozenset(rest) | frozenset(words))


def _hit(word: str, words: Iterable[str]) -> bool:
    if len(word) < PREFIX_FROM:
        return word in words
    return any(w == word or w.startswith(word) for w in words)


def rank(query: Query, hay: Haystack) -> int | None:
    """0: the phrase is in the content; 1: every word is in the content; 2: every word
    is somewhere (units, product, evidence); None: no match."""
    padded = f" {' '.join(hay.content)} "
    if f" {query.phrase} " in padded:
        return 0
    content = set(hay.content)
    if all(_hit(w, content) for w in query.words):
        return 1
    if all(_hit(w, hay.others) for w in query.words):
        return 2
    return None
