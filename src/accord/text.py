"""Small shared checks for untrusted text: trimmed, bounded, valid Unicode (rule 8)."""

from __future__ import annotations

from accord.errors import Invalid


def clean_text(value: str | bytes | None, *, field: str, max_chars: int, required: bool = False) -> str:
    """Return `value` as trimmed text or raise Invalid naming the field and the limit."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise Invalid(f"{field} must not be empty.", detail={"field": field})
    if len(text) > max_chars:
        raise Invalid(
            f"{field} is {len(text)} characters; the limit is {max_chars}.",
            detail={"field": field, "limit": max_chars},
        )
    return text
