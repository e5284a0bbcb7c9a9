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
from accord.intake import mime, noise

_ID = re.compile(r"<[^<>\s]+>")
_SAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')  # path parts, controls, Windows-reserved
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
    if getattr(value, "defects", ()) or "\ufffd" in str(value):
        problems.append(f"Header {name} is malformed (bad encoding); shown as far as it could be read.")
    return " ".join(str(value).replace("\x00", "").split())


def _ids(value: str) -> list[str]:
    return _ID.findall(value)


def _body_parts(msg: Message, parsed: ParsedEmail) -> tuple[str, str]:
    """The first text/plain and text/html outside attachments and report data; files go to attachments."""
    plain: str | None = None
    markup: str | None = None
    for part, report_data in mime.leaves(msg):
        if report_data:
            continue
        ctype = part.get_content_type()
        if mime.is_attachment(part) or not ctype.startswith("text/"):
            parsed.attachments.append(_attachment(part, ctype))
        elif ctype == "text/plain" and plain is None:
            plain, problems = mime.part_text(part)
            parsed.problems.extend(problems)
        elif ctype == "text/html" and markup is None:
            markup, problems = mime.part_text(part)
            parsed.problems.extend(problems)
    return plain or "", markup or ""


def _structure(msg: Message, parsed: ParsedEmail) -> tuple[str, str]:
    """Body text, or the raw payload of a multipart whose parts could not be found (broken MIME)."""
    raw = mime.unparsed_multipart(msg)
    plain, markup = (raw, "") if raw is not None else _body_parts(msg, parsed)
    found = mime.defects(msg)  # after decoding: base64 defects are found while decoding
    if raw is not None or found:
        names = ", ".join(sorted(found)) or "no usable boundary"
        parsed.problems.append(f"Broken MIME structure ({names}); kept what could be read.")
    if "CloseBoundaryNotFoundDefect" in found:
        parsed.problems.append("The email was cut short: it ends before its closing MIME boundary.")
    return plain, markup


def _attachment(part: Message, ctype: str) -> Attachment:
    payload = part.get_payload(decode=True)
    name = part.get_filename()
    if not isinstance(payload, bytes):  # a forwarded message/rfc822: kept whole, named by its subject
        inner = part.get_payload()
        first = inner[0] if isinstance(inner, list) and inner else None
        if isinstance(first, Message):
            payload = first.as_bytes()
            name = name or f"{str(first.get('Subject') or 'message').strip()}.eml"
        else:
            payload = str(inner).encode("utf-8", "replace")
    return Attachment(safe_filename(name), ctype[:100], len(payload), payload)


def _classify(msg: Message, parsed: ParsedEmail) -> None:
    """Auto-reply or bounce (RFC 3834, RFC 3464); for a bounce, which of our mails came back and why."""
    try:
        parsed.kind = noise.classify(msg, sender=parsed.sender, subject=parsed.subject)
        if parsed.kind == "bounce" or msg.get_content_type() == "multipart/report":
            parsed.bounced_ids = noise.bounced_ids(msg)  # reports thread onto the mail they are about
        if parsed.kind == "bounce":
            parsed.bounce_reason = noise.bounce_reason(msg)
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
    if not parsed.subject:
        problems.append("No Subject header.")
    if not _header(msg, "Date", problems):
        problems.append("No Date header; the time we received it is used.")
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
    _read_headers(msg, parsed)
    try:
        plain, markup = _structure(msg, parsed)
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
