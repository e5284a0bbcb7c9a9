"""Reply coach speed: live checking of a 200-word reply (target < 150 ms, issue 19), rules-only throughput.

Live checking runs the phrase rules, the learnt heads (MiniLM sentence embeddings from the encoder's layer 3,
and since the tenth session the coach's two fine-tuned layers above it: five of six layers run; numpy) and
the context-aware completeness checks against the client's message.
Three timings, BLAS held to one thread, each as wall time and as the CPU time of the checking thread (on a
shared machine the wall time includes waiting for a core; the CPU time is what one check costs):
- cold: every sentence of the reply is new (nothing cached): the first check of a pasted reply;
- typing: the same reply with one sentence changed: what the case page sees while a person types
  (sentence embeddings are cached, so only the changed sentence is embedded);
- rules only: throughput of the phrase rules alone over 1,000 replies of 50-400 words (was >= 200/s).
Run: .venv/bin/python benchmarks/coach_speed.py
"""

from __future__ import annotations

import os
import random
import statistics
import time

from threadpoolctl import threadpool_limits

from accord.coach import CaseContext, check_reply, judge

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


def make_reply(rng: random.Random, words: int, tag: str = "") -> str:
    """A reply of about `words` words; `tag` makes every sentence new to the embedding cache."""
    parts = [rng.choice(OPENERS)]
    while sum(len(p.split()) for p in parts) < words - 12:
        parts.append(rng.choice(BODY))
    parts.append(rng.choice(CLOSERS))
    if tag:
        parts = [p.rstrip(".") + f" (ref {tag}{i})." for i, p in enumerate(parts)]
    return " ".join(parts) + "\n\nOlivia"


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


def _timed(reply: str, ctx: CaseContext, wall: list[float], cpu: list[float]) -> None:
    start, start_cpu = time.perf_counter(), time.thread_time()
    check_reply(reply, case_context=ctx)
    wall.append(time.perf_counter() - start)
    cpu.append(time.thread_time() - start_cpu)


def live(runs: int = 30) -> None:
    """Cold and typing latency of a 200-word reply with a client message."""
    rng = random.Random(11)
    check_reply(make_reply(rng, 200, "warm"), case_context=CONTEXTS[0])  # model load, not timed
    cold: list[float] = []
    cold_cpu: list[float] = []
    typing: list[float] = []
    typing_cpu: list[float] = []
    for i in range(runs):
        reply = make_reply(rng, 200, f"r{i}-")
        ctx = CONTEXTS[i % 3]
        _timed(reply, ctx, cold, cold_cpu)
        edited = reply.replace("Olivia", f"I will also call you at {1 + i % 11} pm.\n\nOlivia")
        _timed(edited, ctx, typing, typing_cpu)
    words = len(make_reply(random.Random(1), 200).split())
    heads = judge.load_heads()
    layer = f"encoder layer {heads.layer}" if heads is not None else "rules only"
    if heads is not None and heads.tuned_net is not None:
        layer += f" + tuned layers to {heads.tuned_net.top}"
    print(f"learnt heads loaded: {heads is not None} ({layer})  reply: ~{words} words")
    print(f"live check, cold (all sentences new): wall {_ms(cold)}; cpu {_ms(cold_cpu)}")
    print(f"live check, typing (one sentence new): wall {_ms(typing)}; cpu {_ms(typing_cpu)}")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("target: < 150 ms for a 200-word reply")


def rules_throughput() -> None:
    """The phrase rules alone over 1,000 replies (the old throughput check)."""
    rng = random.Random(7)
    replies = [make_reply(rng, rng.randint(50, 400)) for _ in range(1000)]
    start, start_cpu = time.perf_counter(), time.thread_time()
    for i, r in enumerate(replies):
        check_reply(r, case_context=CONTEXTS[i % 3], learnt=False)
    wall, cpu = time.perf_counter() - start, time.thread_time() - start_cpu
    print(
        f"phrase rules only: {len(replies) / wall:.0f} replies/s wall, "
        f"{len(replies) / cpu:.0f} per CPU second"
    )


def main() -> None:
    """Print the live latencies and the rules-only throughput."""
    with threadpool_limits(limits=1, user_api="blas"):
        live()
        rules_throughput()


if __name__ == "__main__":
    main()
