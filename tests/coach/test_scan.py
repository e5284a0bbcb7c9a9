"""The fast phrase scan finds exactly what one plain alternation finds, for the coach's own phrases."""

from __future__ import annotations

from accord.coach.rules import _PHRASES
from accord.coach.scan import PhraseScanner, first_letters

TEXTS = [
    "Apparently it doesn't meet desired performance quotas. The 10% credit is just a starting point.",
    "We'll try to fix it; hopefully soon. As per my last email, calm down! Mistakes were made.",
    "> quoted\nOur vendor failed to ship. We apologize for any inconvenience. We accept full liability.",
]


def test_first_letters_are_read_from_the_regex() -> None:
    assert first_letters(r"(?:we|I) hope to") == {"w", "i"}
    assert first_letters(r"(?:the )?deadline") == {"t", "d"}
    assert first_letters(r"\w+ x") is None


def test_coach_phrases_use_the_fast_path_and_match_like_the_plain_alternation() -> None:
    assert _PHRASES._by_letter is not None
    for text in TEXTS:
        fast = [(m.lastgroup, m.span()) for m in _PHRASES.finditer(text)]
        plain = [(m.lastgroup, m.span()) for m in _PHRASES._plain.finditer(text)]
        assert fast == plain and fast


def test_a_phrase_starting_with_punctuation_falls_back_to_the_plain_scan() -> None:
    scanner = PhraseScanner([("a", r"'s just"), ("b", r"hello")])
    assert [m.group(0) for m in scanner.finditer("it's just hello")] == ["'s just", "hello"]
