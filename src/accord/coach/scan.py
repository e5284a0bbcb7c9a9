"""Fast phrase scan: try only the phrases that can start with a word's first letter (throughput).

Each phrase regex's set of possible first letters is read from its parsed form once, at import.
If any phrase has no such set (e.g. it could start with anything), one plain alternation is used.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Sequence
from typing import Any

_p: Any = importlib.import_module("re._parser")  # the parser behind `re` (Python 3.11+)
_c: Any = importlib.import_module("re._constants")

Alternative = tuple[str, str]  # (group name, regex)
_WORD_START = re.compile(r"\b\w")
_WORD_CHAR = re.compile(r"\w")


def _first_of_items(items: Any) -> tuple[set[str] | None, bool]:
    """First letters of a sequence of parsed items, and whether it can match nothing."""
    found: set[str] = set()
    for op, arg in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):  # zero-width: the next item starts the match
            continue
        letters, nullable = _first_of(op, arg)
        if letters is None:
            return None, False
        found |= letters
        if not nullable:
            return found, False
    return found, True


def _first_of(op: Any, arg: Any) -> tuple[set[str] | None, bool]:  # noqa: C901 - one case per opcode
    if op is _c.LITERAL:
        return {chr(arg).lower()}, False
    if op is _c.IN:
        letters: set[str] = set()
        for kind, value in arg:
            if kind is _c.LITERAL:
                letters.add(chr(value).lower())
            elif kind is _c.RANGE:
                letters |= {chr(code).lower() for code in range(value[0], value[1] + 1)}
            else:
                return None, False
        return letters, False
    if op is _c.SUBPATTERN:
        return _first_of_items(arg[-1])
    if op is _c.BRANCH:
        union: set[str] = set()
        any_nullable = False
        for branch in arg[1]:
            letters_b, nullable_b = _first_of_items(branch)
            if letters_b is None:
                return None, False
            union |= letters_b
            any_nullable = any_nullable or nullable_b
        return union, any_nullable
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        letters_r, nullable_r = _first_of_items(arg[2])
        return letters_r, letters_r is not None and (arg[0] == 0 or nullable_r)
    return None, False


def first_letters(regex: str) -> set[str] | None:
    """The lowercase letters a match of `regex` can start with, or None when that cannot be told."""
    letters, nullable = _first_of_items(_p.parse(regex, re.IGNORECASE))
    return None if letters is None or nullable else letters


class PhraseScanner:
    """Finds, left to right and without overlaps, the first listed phrase that matches at each word."""

    def __init__(self, alternatives: Sequence[Alternative]) -> None:
        self._plain = re.compile(
            r"\b(?:" + "|".join(f"(?P<{n}>{rx})" for n, rx in alternatives) + ")", re.IGNORECASE
        )
        firsts = [(name, regex, first_letters(regex)) for name, regex in alternatives]
        self._by_letter: dict[str, re.Pattern[str]] | None = None
        if all(
            letters is not None and all(_WORD_CHAR.match(ch) for ch in letters) for _, _, letters in firsts
        ):
            letters_all = set().union(*(letters or set() for _, _, letters in firsts))
            self._by_letter = {
                c: re.compile(
                    "|".join(f"(?P<{n}>{rx})" for n, rx, ls in firsts if ls and c in ls), re.IGNORECASE
                )
                for c in letters_all
            }

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches, like `re.finditer` over `\\b(?:alt1|alt2|...)`."""
        if self._by_letter is None:
            yield from self._plain.finditer(text)
            return
        resume = 0
        for start in _WORD_START.finditer(text):
            at = start.start()
            if at < resume:
                continue
            regex = self._by_letter.get(text[at].lower())
            match = regex.match(text, at) if regex is not None else None
            if match is not None:
                resume = match.end()
                yield match
