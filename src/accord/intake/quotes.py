"""Pure text helpers for threading: what the client newly wrote, and subjects compared without noise."""

from __future__ import annotations

import re

# "On <date>, <name> wrote:" and its forms in Outlook and other languages, plus forwarded headers.
_QUOTE_START = re.compile(
    r"^\s*(?:"
    r"on\b.{0,200}\bwrote:?|"
    r"am\b.{0,200}\bschrieb.{0,80}:?|"
    r"le\b.{0,200}\ba [ée]crit\s*:?|"
    r"el\b.{0,200}\bescribi[óo]:?|"
    r"il giorno\b.{0,200}\bscritto:?|"
    r"op\b.{0,200}\bschreef.{0,80}:?|"
    r"em\b.{0,200}\bescreveu:?|"
    r"-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|"
    r"forwarded message|weitergeleitete nachricht)\s*-{2,}|"
    r"_{10,}|"
    r"(?:from|von|de|van):\s.+$"
    r")",
    re.IGNORECASE,
)
_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|rv|tr|antw|ref|enc)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE
)
REF_TAG = re.compile(r"\[\s*ACC-(\d{1,9})\s*\]", re.IGNORECASE)


def new_text(body: str) -> str:
    """The part of a reply above the quoted history (the '>' lines and 'On ... wrote:' block)."""
    kept: list[str] = []
    for line in body.splitlines():
        if line.lstrip().startswith(">") or _QUOTE_START.match(line):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def case_number_in(subject: str) -> int | None:
    """The case number of an [ACC-1042] tag in a subject, if one is there."""
    found = REF_TAG.search(subject)
    return int(found.group(1)) if found else None


def normalise_subject(subject: str) -> str:
    """Subject without Re:/Fwd:/AW: prefixes, case tags, case or spacing, for same-thread comparison."""
    text = REF_TAG.sub(" ", subject)
    text = _PREFIX.sub("", text)
    return " ".join(text.split()).casefold()


def bare_subject(subject: str) -> str:
    """The subject as the client wrote it, without Re:/Fwd: prefixes or our case tag."""
    return " ".join(_PREFIX.sub("", REF_TAG.sub(" ", subject or "")).split())


def reply_subject(subject: str, reference: str) -> str:
    """'Re: <subject> [ACC-1042]': one Re:, one tag, whatever the client's mailer did to it."""
    base = _PREFIX.sub("", REF_TAG.sub(" ", subject)).strip()
    base = " ".join(base.split()) or "Your message"
    return f"Re: {base} [{reference}]"
