"""Is this text an automatic reply or system mail (out of office, delivery failure, "do not reply")?

Why: an out-of-office notice was triaged severity 4 "the writer is angry" (issue 18). Intake can tell
from the mail headers (Auto-Submitted, X-Autoreply, Precedence); this reads the text itself, so a pasted
or forwarded auto-reply, or one from a channel without headers, is caught too. The phrases are the
sender's own first-person or system wording: a client complaining that "your automatic reply promised
an answer in 24 hours" is not an auto-reply.
"""

from __future__ import annotations

import re

HEAD_CHARS = 600  # an auto-reply says what it is at the start
_PATTERNS = [
    r"^\s*(?:re:\s*)?(?:automatic reply|auto-?reply|autoreply|out of (?:the )?office|ooo)\s*[:\-]",
    r"\bthis is an? (?:automatic|automated|auto-generated|system[- ]generated) "
    r"(?:reply|response|message|notification|e-?mail)\b",
    r"\b(?:I am|I'm|I will be|I'll be) (?:currently |now )?(?:out of (?:the )?office|away from (?:the|my) "
    r"(?:office|desk)|on (?:annual |parental |maternity |sick )?leave|on (?:holiday|vacation)|travell?ing) "
    r"(?:until|till|from|and will|with limited|returning|back on|this week|today)\b",
    r"\b(?:I|we) (?:will|shall|'ll) (?:respond|reply|get back to you|answer|deal with your "
    r"(?:e-?mail|message))"
    r"(?: to your (?:e-?mail|message))? (?:when|upon|on|after) (?:my|our|I|we) (?:return|am back|are back)\b",
    r"\b(?:I have|I'll have|with) limited access to (?:my )?e-?mail\b",
    r"\b(?:please )?do not reply to this (?:e-?mail|message|address)\b",
    r"\b(?:delivery status notification|mail delivery (?:failed|subsystem)|undeliverable:|"
    r"message (?:could not be|was not) delivered)\b",
]
_AUTO = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.I | re.M)


def find(text: str) -> tuple[int, int]:
    """(start, end) of the wording that marks the text as automatic, or (0, 0) when it is not."""
    m = _AUTO.search(text[:HEAD_CHARS])
    return (m.start(), m.end()) if m else (0, 0)
