"""Pure detection of machine mail (RFC 3834 auto-replies, RFC 3464 bounces) and short thank-yous.

Machine mail is kept on the thread it answers but never opens, reopens or triages a case (P3); a short
thank-you on a resolved case is shown without reopening it, because the client already said it is
solved (P23). Header evidence comes first; subjects and senders are the fallback real servers need.
"""

from __future__ import annotations

import re
from email.message import Message

_AUTO_SUBJECT = re.compile(
    r"^\s*(?:auto(?:matic)?[ -]?(?:reply|response|antwort|réponse)|out of (?:the )?office|"
    r"abwesenheitsnotiz|r[ée]ponse automatique|fuera de la oficina|respuesta autom[áa]tica|"
    r"afwezig|automatisch antwoord|i am away|on vacation|away from (?:the )?office)\b",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(?:undeliver(?:able|ed)|delivery status notification|mail delivery (?:failed|failure|system)|"
    r"returned mail|failure notice|delivery failure|nondeliverable|message not delivered)",
    re.IGNORECASE,
)
_DAEMON = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|bounces?)(?:[+@-]|$)", re.IGNORECASE)
_ID = re.compile(r"<[^<>\s]+>")
_STATUS = re.compile(r"^\s*(?:Diagnostic-Code|Status)\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_FAILED = re.compile(r"^\s*Action\s*:\s*failed", re.IGNORECASE | re.MULTILINE)
_COPIED_ID = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
_PLAIN_REASON = re.compile(r"^.*(?:\b[45]\d\d\b|\b[45]\.\d{1,3}\.\d{1,3}\b).*$", re.MULTILINE)

THANKS = re.compile(
    r"\b(?:thanks?|thank(?:s| you)|thx|ty|cheers|much appreciated|appreciate it|great|perfect|"
    r"danke|merci|gracias|grazie|obrigad[oa]|bedankt|tack)\b",
    re.IGNORECASE,
)
_NOT_THANKS = re.compile(
    r"\?|\b(?:not|no|still|but|however|although|problem|issue|wrong|broken|again|error|refund|"
    r"when|why|how|cancel|complain\w*|disappoint\w*|angry|unacceptable|lawyer|nicht|pas|todav[íi]a)\b|n't\b",
    re.IGNORECASE,
)
THANKS_MAX_WORDS = 25


def _header(msg: Message, name: str) -> str:
    try:
        return str(msg.get(name) or "").strip().lower()
    except Exception:  # a broken header is no evidence either way
        return ""


def _report_text(msg: Message) -> str:
    """The machine-readable parts of a delivery report (RFC 3464), as text."""
    texts = []
    for part in msg.walk():
        if part.get_content_type() in ("message/delivery-status", "message/disposition-notification"):
            texts.append(part.as_string())
    return "\n".join(texts)


def is_failure_report(msg: Message) -> bool:
    """A DSN saying delivery failed for good; delayed or delivered reports and read receipts are not."""
    return bool(_FAILED.search(_report_text(msg)))


def is_daemon(sender: str) -> bool:
    """mailer-daemon, postmaster and their kin: the senders of bounces that carry no report."""
    return bool(_DAEMON.match(sender.split("@", 1)[0]))


def is_auto_reply(msg: Message, *, subject: str) -> bool:
    """RFC 3834 Auto-Submitted, X-Autoreply/X-Autorespond, bulk Precedence, or the usual subjects."""
    submitted = _header(msg, "Auto-Submitted")
    if submitted and submitted != "no":
        return True
    if any(_header(msg, h) for h in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress-Reply")):
        return True
    if _header(msg, "Precedence") in ("bulk", "auto_reply", "junk", "list"):
        return True
    return bool(_AUTO_SUBJECT.match(subject))


def classify(msg: Message, *, sender: str, subject: str) -> str:
    """'bounce' (our mail failed for good), 'auto_reply' (any other machine mail) or 'message'."""
    if msg.get_content_type() == "multipart/report":
        return "bounce" if is_failure_report(msg) else "auto_reply"
    if is_daemon(sender) or (not sender and _BOUNCE_SUBJECT.match(subject)):
        return "bounce"
    if is_auto_reply(msg, subject=subject):
        return "auto_reply"
    return "message"


def bounced_ids(msg: Message) -> list[str]:
    """Message-IDs of the mail that bounced: from the returned message or headers, then In-Reply-To."""
    ids: list[str] = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            ids += _ids_in_part(part)
        elif ctype == "text/plain" and msg.get_content_type() != "multipart/report":
            ids += _ids_in_part(part)  # qmail and friends copy the returned headers into the text
    for name in ("In-Reply-To", "References"):
        ids += _ID.findall(_header(msg, name))
    return list(dict.fromkeys(i for i in ids if i))


def _ids_in_part(part: Message) -> list[str]:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if isinstance(inner, Message):
        return _ID.findall(str(inner.get("Message-ID") or ""))
    raw = part.get_payload(decode=True)
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(payload)
    return [m.group(1) for m in _COPIED_ID.finditer(text)]


def _text_of(part: Message) -> str:
    raw = part.get_payload(decode=True)
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""


def bounce_reason(msg: Message) -> str:
    """The server's own words on why delivery failed (Diagnostic-Code, Status), else a plain default."""
    text = _report_text(msg)
    if not text:
        text = "\n".join(_text_of(p) for p in msg.walk() if p.get_content_type() == "text/plain")
        quoted = _PLAIN_REASON.search(text)
        if quoted:
            return " ".join(quoted.group(0).split())[:500]
    found = [m.group(1).strip() for m in _STATUS.finditer(text) if m.group(1).strip().lower() != "failed"]
    return "; ".join(found)[:500] or "the receiving server returned the mail as undeliverable"


def is_thanks(text: str) -> bool:
    """A short thank-you with no question and no complaint ('Thanks!', 'Great, thank you', 'cheers')."""
    words = text.split()
    if not words or len(words) > THANKS_MAX_WORDS:
        return False
    return bool(THANKS.search(text)) and not _NOT_THANKS.search(text)
