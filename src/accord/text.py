"""Small shared checks for untrusted text: trimmed, bounded, valid Unicode (rule 8)."""

from __future__ import annotations

import re
import unicodedata

from accord.errors import Invalid

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str | bytes | None, *, field: str, max_chars: int, required: bool = False) -> str:
    """Return `value` as trimmed text or raise Invalid naming the field and the limit."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = _valid_unicode(value or "").replace("\x00", "").strip()
    if required and not text:
        raise Invalid(f"{field} must not be empty.", detail={"field": field})
    if len(text) > max_chars:
        raise Invalid(
            f"{field} is {len(text)} characters; the limit is {max_chars}.",
            detail={"field": field, "limit": max_chars},
        )
    return text


def _valid_unicode(text: str) -> str:
    """`text` with lone surrogates (a JSON "\\udcff" escape, a filename decoded with surrogateescape) made
    U+FFFD: they cannot be encoded, so the tokenizer, the database and the mail would fail on them later."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def name_key(name: str) -> str:
    """How names are compared: NFKC, Unicode case folding, single spaces ("Émile  Conseil" = "émile conseil").

    SQLite's lower() only knows ASCII, so the key is computed here and stored in an indexed column.
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())[:200]


def json_lines(text: str) -> list[tuple[int, str]]:
    """The non-blank lines of a JSON-lines text with their 1-based numbers. Lines end at "\\n" only:
    str.splitlines would also break at U+2028 or a form feed, which JSON strings may hold unescaped (a
    Dutch App Store reply did, and the coach's refit and `accord coach eval` broke on it)."""
    return [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
