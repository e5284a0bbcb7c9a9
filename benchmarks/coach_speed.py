"""Reply coach throughput: replies checked per second on one core (target >= 200/s).

Generates 1,000 realistic replies of 50-400 words (a seeded mix of good sentences and typical
problems: double-talk, hedging, blame, quotes of the client) and checks each with a case context.
Run: .venv/bin/python benchmarks/coach_speed.py
"""

from __future__ import annotations

import random
import statistics
import time

from accord.coach import CaseContext, check_reply

OPENERS = [
    "Hi Dana, thank you for telling us about the double charge on your October invoice.",
    "Hello Marcus, you told us the booking page stopped taking appointments on Monday.",
    "Hi Priya, thanks for your message about the posts that went out without your sign-off.",
    "Dear Mr Alvarez, I have read your note about the late delivery of the brochure proofs.",
]
BODY = [
    "I can see how frustrating this has been for your team, and I am sorry.",
    "We checked the payment logs this morning and found the second charge.",
    "The refund for the duplicate payment will reach your card within 5 working days.",
    "Our developer traced the fault to a change we made to the booking form on Friday.",
    "We have put the old version back, and the form is taking bookings again.",
    "Going forward, we will leverage our synergies to deliver best-in-class outcomes.",
    "Apparently the form doesn't meet desired performance quotas in real-world applications.",
    "We will try to look into the remaining issues at some point next month.",
    "The delay was due to circumstances beyond our control.",
    "Mistakes were made, and the deadline was missed.",
    "We apologize for any inconvenience this may have caused.",
    "As per my last email, the schedule was agreed in March.",
    "Every post now waits for your approval before it is published.",
    "I have added a check to our release list so this cannot happen again.",
    "The proofs are printed and ready for you to collect.",
    "If anything still looks wrong, reply to this email and I will pick it up myself.",
    "> The form has been broken since Monday and we lost a whole day of bookings.",
    'You wrote "this is completely unacceptable", and you are right.',
    "Hopefully the new version will be faster.",
    "Our vendor let us down on the paper stock.",
]
CLOSERS = [
    "I will call you by Thursday at 3 pm to confirm everything is working.",
    "You will hear from me tomorrow before noon with the receipt.",
    "Let's speak on Monday at 10:30 to go through the new schedule.",
    "We will get back to you soon.",
]
CONTEXTS = [
    CaseContext(fault="ours", client_message="Our card was charged twice for the October retainer."),
    CaseContext(fault="client", legal_review="in_progress", client_message="The booking page is broken."),
    CaseContext(fault="unknown", client_message="Two posts went out without my approval."),
]


def make_replies(count: int, seed: int = 7) -> list[str]:
    """`count` replies of 50-400 words, reproducible."""
    rng = random.Random(seed)
    replies = []
    for _ in range(count):
        target = rng.randint(50, 400)
        parts = [rng.choice(OPENERS)]
        while sum(len(p.split()) for p in parts) < target - 12:
            parts.append(rng.choice(BODY))
        parts.append(rng.choice(CLOSERS))
        replies.append(" ".join(parts) + "\n\nOlivia")
    return replies


def main() -> None:
    """Check 1,000 replies three times and print the median rate."""
    replies = make_replies(1000)
    words = [len(r.split()) for r in replies]
    check_reply(replies[0], case_context=CONTEXTS[0])  # warm up: lazy imports
    rates, findings = [], 0
    for _ in range(3):
        start = time.perf_counter()
        findings = sum(len(check_reply(r, case_context=CONTEXTS[i % 3])) for i, r in enumerate(replies))
        rates.append(len(replies) / (time.perf_counter() - start))
    median_words = int(statistics.median(words))
    print(f"replies: {len(replies)}  words: min {min(words)} median {median_words} max {max(words)}")
    print(f"findings per pass: {findings}")
    runs = ", ".join(f"{r:.0f}" for r in rates)
    print(f"throughput (one core): {statistics.median(rates):.0f} replies/s  (runs: {runs})")
    print("target: >= 200 replies/s")


if __name__ == "__main__":
    main()
