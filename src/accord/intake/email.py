"""Pure RFC 822 parsing for intake (P3): never raises, keeps every problem it saw (rule 8)."""

from __future__ import annotations

import email
import email.policy
import html
import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from accord.config import get_settings
from accord.intake import noise

_ID = re.compile(r"<[^<>\s]+>")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "iframe", "object"}
_BREAK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}


@dataclass(frozen=True)
class Attachment:
    """A file part: kept on disk by intake, never executed or rendered (rule 8)."""

    filename: str
    content_type: str
    size: int
    data: bytes = field(default=b"", repr=False)


@dataclass
class ParsedEmail:
    """What intake needs from one raw email, plus the problems met while reading it."""

    sender: str = ""
    sender_name: str = ""
    recipients: list[str] = field(default_factory=list)
    subject: str = ""
    body: str = ""
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    kind: str = "message"
    bounced_ids: list[str] = field(default_factory=list)
    bounce_reason: str = ""

    @property
    def thread_ids(self) -> list[str]:
        """Ids to look up for threading, nearest parent first."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        return ids + [r for r in reversed(self.references) if r not in ids]


class _TextExtractor(HTMLParser):
    """HTML to plain text: tags dropped, scripts and styles skipped entirely, nothing run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BREAK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BREAK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Readable text from untrusted HTML; scripts, styles and tags are dropped."""
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # malformed HTML must never stop intake
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def safe_filename(name: str | None) -> str:
    """A filename with no path parts or odd characters, bounded in length."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _SAFE_NAME.sub("_", base).strip(" .")[:150]
    return cleaned or "attachment"


def _header(msg: Message, name: str, problems: list[str]) -> str:
    try:
        value = msg.get(name)
    except Exception as exc:  # a broken header is a problem, not a crash
        problems.append(f"Header {name} could not be read ({type(exc).__name__}).")
        return ""
    if value is None:
        return ""
    if getattr(value, "defects", ()):
        problems.append(f"Header {name} is malformed.")
    return " ".join(str(value).replace("\x00", "").split())


def _ids(value: str) -> list[str]:
    return _ID.findall(value)


def _decode_part(part: Message, problems: list[str]) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        problems.append(f"Body is not valid {charset}; unreadable bytes were replaced.")
        return payload.decode("utf-8", errors="replace")


def _walk_parts(msg: Message, parsed: ParsedEmail) -> tuple[str, str]:
    plain, markup = "", ""
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        if disposition == "attachment" or part.get_filename() or not ctype.startswith("text/"):
            parsed.attachments.append(_attachment(part, ctype))
        elif ctype == "text/plain" and not plain:
            plain = _decode_part(part, parsed.problems)
        elif ctype == "text/html" and not markup:
            markup = _decode_part(part, parsed.problems)
    return plain, markup


def _attachment(part: Message, ctype: str) -> Attachment:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):  # a message/* part: keep it as the text it is
        inner = part.get_payload()
        payload = (
            inner[0].as_bytes()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message)
            else str(inner).encode("utf-8", "replace")
        )
    return Attachment(safe_filename(part.get_filename()), ctype[:100], len(payload), payload)


def _classify(msg: Message, parsed: ParsedEmail) -> None:
    """Auto-reply or bounce (RFC 3834, RFC 3464); for a bounce, which of our mails came back and why."""
    try:
        parsed.kind = noise.classify(msg, sender=parsed.sender, subject=parsed.subject)
        if parsed.kind == "bounce":
            parsed.bounced_ids = noise.bounced_ids(msg)
            report = "\n".join(
                a.data.decode("utf-8", "replace")
                for a in parsed.attachments
                if a.content_type == "message/delivery-status"
            )
            parsed.bounce_reason = noise.bounce_reason(report or parsed.body)
    except Exception as exc:  # classification is advice; a failure keeps the mail as a plain message
        parsed.problems.append(f"Could not tell whether this is an automatic reply ({type(exc).__name__}).")


def _read_headers(msg: Message, parsed: ParsedEmail) -> None:
    problems = parsed.problems
    name, address = parseaddr(_header(msg, "From", problems))
    address = address.strip().lower() if "@" in address else ""
    parsed.sender, parsed.sender_name = address[:320], name[:200]
    if not parsed.sender:
        problems.append("No sender address (From header missing or malformed).")
    to = [_header(msg, h, problems) for h in ("To", "Cc")]
    parsed.recipients = [a.lower() for _, a in getaddresses([t for t in to if t]) if a][:100]
    parsed.subject = _header(msg, "Subject", problems)[:500]
    ids = _ids(_header(msg, "Message-ID", problems))
    parsed.message_id = ids[0][:500] if ids else None
    if parsed.message_id is None:
        problems.append("No Message-ID header; duplicates of this email cannot be recognised.")
    reply = _ids(_header(msg, "In-Reply-To", problems))
    parsed.in_reply_to = reply[0][:500] if reply else None
    parsed.references = [r[:500] for r in _ids(_header(msg, "References", problems))][:50]


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse one raw email; malformed input yields problems, never an exception (P3, rule 8)."""
    parsed = ParsedEmail()
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:
        parsed.problems.append(f"The email could not be parsed ({type(exc).__name__}).")
        parsed.body = raw.decode("utf-8", errors="replace")
        return _bounded(parsed)
    if msg.defects:
        parsed.problems.append(
            "Email structure is malformed: " + ", ".join(sorted({type(d).__name__ for d in msg.defects}))
        )
    _read_headers(msg, parsed)
    try:
        plain, markup = _walk_parts(msg, parsed)
    except Exception as exc:
        parsed.problems.append(f"The body could not be read ({type(exc).__name__}).")
        plain, markup = raw.decode("utf-8", errors="replace"), ""
    parsed.body = plain.strip() or html_to_text(markup)
    if not plain.strip() and markup:
        parsed.problems.append("The email had only HTML; it was converted to text and is never rendered.")
    if not parsed.body:
        parsed.problems.append("The email has no readable text body.")
    _classify(msg, parsed)
    return _bounded(parsed)


def _bounded(parsed: ParsedEmail) -> ParsedEmail:
    parsed.body = parsed.body.replace("\x00", "")
    limit = get_settings().max_message_chars
    if len(parsed.body) > limit:
        parsed.problems.append(f"Body was cut: it had {len(parsed.body)} characters; kept the first {limit}.")
        parsed.body = parsed.body[:limit]
    return parsed
