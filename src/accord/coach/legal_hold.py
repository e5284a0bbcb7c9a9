"""Is a reply substantive (an offer, money, a fix, fault, an explanation), or only a holding reply?

Why: P11 says that with a legal review pending we talk to our lawyer before engaging further. A quick
acknowledgement ("thank you, I am looking into it, you will hear from me by Friday") keeps the client
informed (P6) and may go out; a reply that offers, explains or commits waits until the review is recorded.
"""

from __future__ import annotations

import re

_SUBSTANCE = re.compile(
    r"\b(?:refund\w*|credit(?:s|ed)?|discount\w*|compensat\w*|reimburs\w*|waive\w*|free of charge|"
    r"offer\w*|propos\w*|solution|settle\w*|goodwill|fault|liab\w*|negligen\w*|because|the cause|caused by|"
    r"what happened|(?:we|I) (?:will|'ll|can|could) (?:fix|replace|redo|repair|pay|cover|give|send you|"
    r"refund|credit)|agree to|in exchange)\b|[$€£]\s?\d",
    re.I,
)


def substantive(text: str) -> str:
    """The first words that make the reply substantive, or "" for a holding reply."""
    m = _SUBSTANCE.search(text)
    return m.group(0) if m else ""
