"""What the whole-reply checks look for: empathy, acknowledgement, apology, a timed step (P13, P16, P22)."""

from __future__ import annotations

import re

_F = re.IGNORECASE

WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
TIME = re.compile(
    r"\b(?:" + WEEKDAY + r"|tomorrow|tonight|today|this (?:morning|afternoon|evening)"
    r"|(?:the )?end of (?:the |this )?(?:day|week|month|business day)|close of business|eod|noon|midday"
    r"|\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}:\d{2}"
    r"|within (?:the next )?(?:\d+|an?|one|two|three|four|five|24|48) (?:minutes?|hours?|(?:working |"
    r"business )?days?)"
    r"|\d{1,2}(?:st|nd|rd|th)? (?:of )?"
    + _MONTH
    + r"|"
    + _MONTH
    + r" \d{1,2}(?:st|nd|rd|th)?\b|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?)",
    _F,
)
COMMIT = re.compile(
    r"\b(?:(?:I|we)(?:'ll| will| shall| am going to| are going to| plan to| am| are)\s+\w+"
    r"|(?:I|we)(?:'ve| have) (?:booked|scheduled|set up|arranged)"
    r"|you(?:'ll| will) (?:hear|receive|get|see|have)|let(?:'s| us)\b|expect (?:it|the|a|an|our|my)\b"
    r"|(?:is|are) (?:booked|scheduled|planned|set) for|next step|I(?:'d| would) like to)",
    _F,
)
EMPATHY_IMPACT = re.compile(
    r"\b(?:frustrat\w*|stress\w*|worr\w*|upset\w*|disappoint\w*|annoy\w*|inconvenien\w*|disrupt\w*|difficult"
    r"|hard (?:on|for)|matters? to you|matters? a lot|affect\w*|impact\w*|cost you|let you down|awkward|"
    r"embarrass\w*"
    r"|patience|trouble|anxi\w*|angry|hassle|headache|not (?:what|everything) you (?:expected|hoped|needed)"
    r"|unacceptable|(?:a )?(?:real|serious) problem for you|worst time|no fun|painful)",
    _F,
)
EMPATHY_PERSPECTIVE = re.compile(
    r"\b(?:(?:I|we) (?:can |completely |fully |really |do )?(?:see|understand|know|appreciate|imagine|"
    r"realise|realize|"
    r"recognise|recognize|get|hear)|sorry|apologi[sz]e|apologies|you|your|must (?:have )?be(?:en)?|I care|"
    r"we care)\b",
    _F,
)
ACK_CUE = re.compile(
    r"\b(?:you (?:told|wrote|mentioned|said|raised|reported|pointed out|let (?:us|me) know|noticed|asked|"
    r"flagged|described)"
    r"|thank(?:s| you) for (?:telling|letting|flagging|raising|reporting|pointing|explaining|"
    r"your (?:email|message|note|call))"
    r"|you(?:'re| are) right|I understand (?:that )?(?:your|you)|(?:about|regarding|on) (?:your|"
    r"the) (?:concern|complaint|report|message|point|question)"
    r"|I hear you|(?:as|what) I understand (?:it|from you)|the (?:issue|problem|concern) you (?:raised|"
    r"described|reported|mentioned))",
    _F,
)
APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e|apologi[sz]ing|apologies|my bad)\b", _F)
# An apology that names what we did ("sorry we charged you twice", "apologise for the two posts that went
# out"): by shared/coach-families.md a real apology, so the learnt judge may not call it a non-apology.
_GENERIC = (
    r"inconvenience|trouble|confusion|frustration|experience|issues?|problems?|disappointment|discomfort|"
    r"same|situation|matter|delay|any|this|that|it|all|your"
)
NAMED_APOLOGY = re.compile(
    r"\b(?:sorry|apologi[sz]e|apologies|apology)\b,?(?: (?:that|for|about|if))? "
    r"(?:(?:we|I)\b(?! (?:feel|regret))|(?:our|my) (?!apolog)\w+"
    r"|the (?!(?:\w+ )?(?:" + _GENERIC + r")\b)(?:\w+ ){0,2}\w+)",
    _F,
)
OFFENCE_ADMISSION = re.compile(
    r"\b(?:(?:our|my) (?:mistake|fault|error|mix-up|oversight)"
    r"|(?:we|I) (?:got|did) (?:this|it|that) wrong|(?:we|I) (?:made|messed) (?:a mistake|an error|up)"
    r"|(?:sorry|apologi[sz]e) (?:for|about) (?:the|our|my|this) (?:mistake|error|failure|mix-up|oversight|"
    r"problem we caused)"
    r"|(?:we|I) should have (?:caught|checked|known|done))",
    _F,
)
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)
WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
QUOTED_TEXT = re.compile(r"\"[^\"\n]{1,800}\"|\u201c[^\u201d]{1,800}\u201d")

_STOP = (
    "about above after again against also been before being below between both could does doing down "
    "during each from further have having here hers herself himself into itself just more most once "
    "only other ours ourselves over same should some such than that their theirs them themselves "
    "then there these they this those through under until very what when where which while whom with "
    "would your yours yourself yourselves will shall please thanks thank hello dear regards best "
    "hope know want need like make made still really going sure today week time back again because "
)
STOPWORDS = frozenset(_STOP.split())


def content_words(text: str) -> set[str]:
    """Crude stems (plural 's' off, first six letters) of the meaningful words of four letters or more."""
    words = {w for w in (m.group(0).lower().strip("'-") for m in WORD.finditer(text)) if len(w) >= 4}
    return {(w[:-1] if w.endswith("s") else w)[:6] for w in words - STOPWORDS}
