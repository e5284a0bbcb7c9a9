"""Pure MIME reading that survives what real mailers send: wrong charsets, broken boundaries, odd
transfer encodings. Each helper returns what it could read plus the problems it met (rule 8)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from email.message import Message

KNOWN_CTE = {"7bit", "8bit", "binary", "base64", "quoted-printable"}
STRUCTURE_DEFECTS = {
    "NoBoundaryInMultipartDefect",
    "StartBoundaryNotFoundDefect",
    "CloseBoundaryNotFoundDefect",
    "MultipartInvariantViolationDefect",
    "InvalidBase64CharactersDefect",
    "InvalidBase64PaddingDefect",
    "InvalidBase64LengthDefect",
    "MissingHeaderBodySeparatorDefect",
    "MisplacedEnvelopeHeaderDefect",
}
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_REPORT_DATA = ("message/delivery-status", "message/disposition-notification", "text/rfc822-headers")


def _fallback(data: bytes) -> str:
    """Bytes no declared charset explains: UTF-8 if they hold any UTF-8 sequence, else Windows-1252."""
    if _UTF8_SEQUENCE.search(data):
        return data.decode("utf-8", errors="replace")
    return data.decode("cp1252", errors="replace")


def _invalid_utf8(data: bytes) -> list[str]:
    """UTF-8 with broken bytes, or (no UTF-8 sequence at all) legacy text labelled UTF-8."""
    if _UTF8_SEQUENCE.search(data):
        return ["Invalid UTF-8: some bytes are not valid UTF-8 and were replaced."]
    return ["Invalid UTF-8: the text is declared UTF-8 but is not; read as Windows-1252 (charset problem)."]


def _known(charset: str) -> bool:
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True


def decode_text(data: bytes, declared: str | None) -> tuple[str, list[str]]:
    """Text from bytes: the declared charset, then UTF-8, then Windows-1252; the problems say which."""
    charset = (declared or "").strip().lower()
    if data.isascii():
        return data.decode("ascii"), []
    if not charset or not _known(charset):
        named = f"an unknown charset '{charset}'" if charset else "no charset"
        return _fallback(data), [
            f"Charset problem: the text declares {named}; it was read as UTF-8/Windows-1252."
        ]
    try:
        text = data.decode(charset)
    except UnicodeDecodeError:
        if charset in ("utf-8", "utf8"):
            return _fallback(data), _invalid_utf8(data)
        return _fallback(data), [
            f"Charset problem: the text is not valid {charset}; read as UTF-8/Windows-1252."
        ]
    if charset not in ("utf-8", "utf8", "us-ascii", "ascii") and _UTF8_SEQUENCE.search(data):
        try:
            return data.decode("utf-8"), [f"Charset problem: the text is declared {charset} but is UTF-8."]
        except UnicodeDecodeError:
            pass
    return text, []


def part_text(part: Message) -> tuple[str, list[str]]:
    """A text part's readable content, with transfer-encoding and charset problems."""
    problems = []
    cte = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    if cte not in KNOWN_CTE:
        problems.append(f"Unknown transfer encoding '{cte[:40]}'; the text is shown as it came.")
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        raw = str(part.get_payload()).encode("utf-8", "surrogateescape")
    charset = part.get_param("charset")
    text, more = decode_text(raw, charset if isinstance(charset, str) else None)
    return text, problems + more


def is_attachment(part: Message) -> bool:
    """Files: anything with a filename or 'attachment' disposition, and forwarded messages."""
    if part.get_content_type() == "message/rfc822":
        return True
    return part.get_content_disposition() == "attachment" or bool(part.get_filename())


def leaves(msg: Message, in_report: bool = False) -> Iterator[tuple[Message, bool]]:
    """Leaf parts with whether they are report data; forwarded messages stay whole (not descended)."""
    payload = msg.get_payload()
    if msg.get_content_maintype() == "multipart" and isinstance(payload, list):
        report = msg.get_content_type() == "multipart/report"
        for index, part in enumerate(payload):
            yield from leaves(part, in_report or (report and index > 0))
    else:
        yield msg, in_report or msg.get_content_type() in _REPORT_DATA


def unparsed_multipart(msg: Message) -> str | None:
    """The raw text of a multipart whose parts could not be found (no or wrong boundary), else None."""
    if msg.get_content_maintype() == "multipart" and not isinstance(msg.get_payload(), list):
        return str(msg.get_payload())
    return None


def defects(msg: Message) -> set[str]:
    """Names of every structural defect in the message and its parts."""
    found = {type(d).__name__ for d in msg.defects}
    payload = msg.get_payload()
    if msg.is_multipart() and isinstance(payload, list):
        for part in payload:
            if isinstance(part, Message):
                found |= defects(part)
    return found & STRUCTURE_DEFECTS
