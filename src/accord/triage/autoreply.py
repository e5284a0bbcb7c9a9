"""Is this text an automatic reply or system mail (out of office, ticket receipt, delivery failure)?

Why: an out-of-office notice was triaged severity 4 "the writer is angry" (issue 18). Intake can tell
from the mail headers (Auto-Submitted, X-Autoreply, Precedence); this reads the text itself, so a pasted
or forwarded auto-reply, or one from a channel without headers, is caught too. The phrases are the
sender's own first-person or system wording. Losing a real complaint is worse than triaging a notice, so
a marker counts only when the text does not complain around it: "I'm on holiday until the 20th and came
back to find the site down again" is a client, and so is one who quotes "this mailbox is not monitored"
back at us; and the engine keeps triaging a text with a marker that voices a threat. Only an "Automatic
reply:" subject line at the very start decides on its own.
"""

from __future__ import annotations

import re

HEAD_CHARS = 600  # an auto-reply says what it is at the start
_SUBJECT = re.compile(
    r"^\s*(?:re:\s*)?(?:automatic reply|auto-?reply|autoreply|out of (?:the )?office|ooo|"
    r"automatische antwort|abwesenheitsnotiz|r[ée]ponse automatique|respuesta autom[áa]tica|"
    r"risposta automatica)\s*[:\-]",
    re.I,
)
_AWAY = (
    r"(?:out of (?:the )?office|ooo|off|away from (?:the|my) (?:office|desk)|away|off work|"
    r"on (?:annual |parental |maternity |paternity |sick |study )?leave|on (?:holiday|vacation)|travell?ing)"
)
_MESSAGE = r"(?:message|e-?mail|request|enquiry|inquiry|query|complaint|ticket)"
_PATTERNS = [
    # the notice names itself
    r"\bthis is an? (?:automatic|automated|auto-generated|system[- ]generated) "
    r"(?:reply|response|message|notification|e-?mail)\b",
    # away: "I'm on leave until", "Out of office until 05/01", "I'm currently on maternity leave"
    rf"\b(?:I am|I'm|I will be|I'll be) (?:currently |now )?{_AWAY},? "
    r"(?:until|till|from|and will|and am|with (?:no|limited|little|intermittent|restricted)|returning|"
    r"back on|this week|today|at the moment)\b",
    rf"^\W*{_AWAY} (?:until|till|from|today|this week)\b|\b(?:I am|I'm) currently {_AWAY}\b",
    r"\bwith (?:no|limited|little|intermittent|restricted) access to (?:my )?e-?mails?\b",
    # when the answer will come
    r"\b(?:I|we) (?:will|shall|'ll) (?:respond|reply|get back to you|answer|"
    r"deal with your (?:e-?mail|message))"
    r"(?: to your (?:e-?mail|message))? (?:when|upon|on|after) (?:my|our|I|we) "
    r"(?:return|am back|are back|reopen)\b",
    r"\b(?:I|we) (?:will|shall|'ll) (?:respond|reply)(?: to your (?:e-?mail|message))? (?:on|within) "
    r"(?:my|our) next working day\b",
    r"\b(?:we|our team|I) (?:aims?|try|tries|endeavou?rs?|strives?) to (?:respond|reply|answer|get back)\b"
    r"[^.]{0,40}\bwithin\b",
    r"\b(?:we|I) (?:answer|reply to|respond to) (?:every|all) (?:e-?mails?|messages?|enquir(?:y|ies))\b",
    r"\bplease allow (?:up to )?\w+ (?:working |business )?days? for (?:a |our )?(?:response|reply)\b",
    r"\b(?:a |an )?(?:high|large|higher than usual) volume of (?:e-?mails|enquiries|requests|messages)\b",
    r"\b(?:the |our )?(?:office|studio|shop|clinic|practice)s? (?:is|are|will be) closed\b[^.]{0,80}"
    r"\b(?:re-?opens?|returning|back on)\b",
    # the mailbox or person is gone
    r"\b(?:please )?do not reply to this (?:e-?mail|message|address)\b",
    r"\bthis (?:mailbox|inbox|e-?mail address|address) is (?:not|no longer) "
    r"(?:monitored|in use|checked|active)\b",
    r"\b(?:I have|I've) (?:now )?left the (?:company|firm|practice|business|agency|organi[sz]ation)\b"
    r"|\bI (?:am no longer|no longer work) (?:with|at|for|working (?:at|for)) ",
    # a ticket system's receipt
    rf"\b(?:we've|we have) (?:got|received) your {_MESSAGE}\b[^.]{{0,80}}?\b(?:will|'ll|shall)\b[^.]{{0,40}}?"
    r"\b(?:call|respond|reply|get back|be in touch|contact)",
    r"\byour (?:e-?mail|message|request|enquiry|inquiry) has been received\b",
    r"\byour (?:request|ticket|enquiry|inquiry|case) \(?#?[A-Z0-9-]{3,}\)? has been "
    r"(?:received|created|logged|opened)\b",
    r"\b(?:ticket|request|case) #?[A-Z0-9-]{3,} (?:has been )?(?:created|received|logged|opened)\b",
    # delivery failures
    r"\b(?:delivery status notification|mail delivery (?:failed|subsystem)|undeliverable:|"
    r"delivery has failed to these recipients|message (?:could not be|couldn't be|was not) delivered|"
    r"your message to \S+ couldn't be delivered)",
    r"\be-?mail (?:account|address) you (?:tried to reach|sent to|wrote to) does not exist\b",
]
_AUTO = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.I | re.M)
# The client's own words of complaint: with one of these beside it, a marker is part of a complaint.
_COMPLAINT = re.compile(
    r"\b(?:still|again|nobody|no one|unacceptable|ridiculous|disappoint\w*|"
    r"complain\w*(?! (?:procedure|policy|process|team|department|handling))|refund\w*|angry|"
    r"furious|third time|lawyers?|solicitors?|terrible|awful|useless|broken|not happy|fed up|"
    r"unhappy|upset|frustrat\w*|annoy\w*|let (?:me|us) down|poor|missed|wrong|ran short|"
    r"not (?:good enough|acceptable|right)|"
    r"sort (?:it|this) out|fix (?:it|this)|waiting for|no reply|no response|never (?:replied|answered)|"
    r"why (?:does|do|is|has|have|did|are|was|were)|(?:I|we) need|"
    r"or (?:else )?(?:we|I)(?:'ll| will)? (?:go|take|move|look|find|cancel|leave|switch))\b",
    re.I,
)
_QUOTES = "\"'\u2018\u2019\u201c\u201d"


def _quoted(text: str, start: int) -> bool:
    """The marker opens a quotation ('...saying "this mailbox is not monitored"'): the client quotes us."""
    return any(ch in _QUOTES for ch in text[max(0, start - 2) : start])


def _complains_around(text: str, start: int, end: int) -> bool:
    return bool(_COMPLAINT.search(text[:start]) or _COMPLAINT.search(text[end:]))


def subject_line(text: str) -> bool:
    """The text opens with an auto-reply subject ("Automatic reply: ..."): the system's own words."""
    return bool(_SUBJECT.search(text))


def find(text: str) -> tuple[int, int]:
    """(start, end) of the wording that marks the text as automatic, or (0, 0) when it is not."""
    subject = _SUBJECT.search(text)
    if subject:
        return subject.start(), subject.end()
    head = text[:HEAD_CHARS]
    m = _AUTO.search(head)
    if not m or _quoted(head, m.start()) or _complains_around(text, m.start(), m.end()):
        return (0, 0)
    return m.start(), m.end()
