"""Pure advisors: each turns facts about a case into a recommendation with plain-word reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from accord.playbook.definition import Playbook

Level = Literal["ok", "info", "warning"]


@dataclass(frozen=True)
class Advice:
    """One recommendation, why, and whether it needs attention."""

    topic: str
    recommendation: str
    reasons: list[str]
    level: Level = "info"
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CaseFacts:
    """What the advisors need to know, gathered by the service from the case, client and timeline."""

    severity: int
    fault: str = "unknown"
    kind: str = "client_raised"
    client_tier: str = "standard"
    client_monthly_value: float = 0.0
    earlier_cases: int = 0
    earlier_client_fault: int = 0
    abusive: bool = False
    anger: float | None = None
    chosen_approach: str | None = None
    owner_id: int | None = None
    owner_role: str | None = None
    outbound_author_ids: tuple[int | None, ...] = ()
    handoff_count: int = 0
    has_client_view: bool = False
    has_our_view: bool = False
    has_impact_assessment: bool = False
    legal_triggered: bool = False
    legal_review: str = "not_needed"
    done_steps: frozenset[str] = frozenset()
    client_toxic: bool = False
    client_ended: bool = False
    termination_terms: str = ""
    haggling: int = 0
    haggling_evidence: tuple[str, ...] = ()


def _valuable(facts: CaseFacts) -> bool:
    return facts.client_tier in ("key", "strategic") or facts.client_monthly_value >= 3000


def _toxic(facts: CaseFacts) -> bool:
    return facts.abusive or facts.earlier_client_fault >= 2


def _way_out(facts: CaseFacts) -> list[str]:
    """P20, P21: when we go for the win, the exit follows the contract, step by step."""
    terms = facts.termination_terms.strip() or "none recorded on the client; read the contract"
    return [
        f"Follow the contract's termination terms: {terms}.",
        "Exit checklist: notice as the terms require, final invoice, hand-over of files and access, "
        "and a last message drafted and coached before it is sent.",
    ]


def _approach_choice(facts: CaseFacts, playbook: Playbook) -> tuple[str, list[str]]:
    if facts.chosen_approach == "compete" or facts.client_toxic:
        why = (
            "The recorded approach is 'compete'"
            if facts.chosen_approach == "compete"
            else "The client is toxic"
        )
        return "compete", [
            f"{why}: hold our terms and be ready to end the relationship (P18, P21).",
            *_way_out(facts),
        ]
    if _toxic(facts) and facts.fault == "client" and not _valuable(facts):
        return "compete", [
            "The client is at fault and the relationship has turned harmful (repeated or abusive).",
            "Hold our terms; be ready to end the relationship under the contract if needed (P21).",
        ]
    if facts.fault == "ours" and facts.severity <= 1:
        return "accommodate", [
            "It is our mistake and small: giving the client what they ask is the quickest fair fix (P4)."
        ]
    if facts.fault in ("shared", "client") and _valuable(facts):
        return "compromise", [
            "Fault is not only ours, but this is a valuable client worth keeping.",
            "Offer a pre-approved solution as the fair middle and hold it (P19, P20).",
        ]
    return playbook.default_approach, [
        "Working it out together is the usual choice: it fixes the problem and keeps the relationship."
    ]


def approach_advisor(facts: CaseFacts, playbook: Playbook) -> Advice:
    """P18: suggest avoid/accommodate/compete/collaborate/compromise; avoid is always flagged as risky."""
    choice, reasons = _approach_choice(facts, playbook)
    reasons = (
        [*reasons, f"Risk: {playbook.approaches[choice].risk}"] if choice in playbook.approaches else reasons
    )
    level: Level = "info"
    if facts.chosen_approach == "avoid":
        level = "warning"
        reasons.append("The recorded approach is 'avoid': ignored conflicts usually grow. Revisit it.")
    if _toxic(facts):
        reasons.append(
            "This client has a pattern of conflicts; weigh whether to keep the relationship (P21)."
        )
    return Advice("approach", choice, reasons, level)


def apology_advisor(facts: CaseFacts, playbook: Playbook) -> Advice:
    """P14, P16: apologise for our faults; for careless handling, never for an offence not ours."""
    rule = playbook.apology.get(facts.fault, playbook.apology.get("unknown", ""))  # type: ignore[call-overload]
    choices = {
        "ours": "Apologise for the mistake",
        "shared": "Apologise for our part",
        "client": "No apology for the alleged fault; apologise only for careless handling",
        "none": "No apology for fault; say you are sorry it was frustrating",
    }
    recommendation = choices.get(facts.fault, "Hold the apology until the facts are in")
    reasons = [rule]
    if facts.fault in ("ours", "shared"):
        reasons.append("Own it fully, without excuses, and say how we will put it right (P14).")
    return Advice("apology", recommendation, reasons, "info")


def channel_advisor(facts: CaseFacts, playbook: Playbook) -> Advice:
    """P12: heated or serious cases move off email to a call or video meeting."""
    rule = playbook.channel
    reasons = []
    if facts.severity >= rule.call_from_severity:
        reasons.append(f"Severity {facts.severity} is at or above {rule.call_from_severity}.")
    if facts.anger is not None and facts.anger >= rule.call_when_anger_over:
        reasons.append(f"The client's messages read as angry ({facts.anger:.2f}).")
    if reasons:
        reasons.append("Conflicts get worse in writing; offer a call and send a short summary afterwards.")
        return Advice("channel", "Propose a call or video meeting", reasons, "warning")
    return Advice("channel", "Email is fine for now", ["The case is not heated or serious."], "ok")


def spokesperson_check(facts: CaseFacts, playbook: Playbook) -> Advice:
    """P7: one designated person talks to the client; others sending and many hand-offs are warned."""
    problems = []
    if facts.owner_id is None:
        problems.append("Nobody is named as spokesperson for this case.")
    allowed = playbook.ownership.roles_for(facts.severity)
    if facts.owner_role is not None and facts.owner_role not in allowed:
        problems.append(
            f"At severity {facts.severity} the spokesperson should be: {', '.join(allowed)} "
            f"(now a {facts.owner_role})."
        )
    others = [a for a in facts.outbound_author_ids if a is not None and a != facts.owner_id]
    if others:
        problems.append(
            f"{len(others)} message(s) to the client were sent by someone other than the spokesperson."
        )
    if facts.handoff_count > playbook.ownership.max_handoffs:
        problems.append(
            f"The case changed hands {facts.handoff_count} times; the playbook allows "
            f"{playbook.ownership.max_handoffs}. Do not bounce the client between people."
        )
    if problems:
        return Advice("spokesperson", "Fix who speaks for us", problems, "warning")
    return Advice(
        "spokesperson",
        "One spokesperson, as it should be",
        [f"Hand-offs so far: {facts.handoff_count}."],
        "ok",
    )


def _missing_facts(facts: CaseFacts) -> list[str]:
    checks = [
        (facts.has_client_view, "the client's view (P8)"),
        (facts.has_our_view, "our view (P8)"),
        ("review_timeline" in facts.done_steps, "the timeline and earlier conversations reviewed (P9)"),
        ("review_contract" in facts.done_steps, "the contract and expectations reviewed (P1, P9)"),
        ("decide_objective" in facts.done_steps, "the objective decided (P10)"),
    ]
    if facts.severity >= 3:
        done = facts.has_impact_assessment or "assess_impact" in facts.done_steps
        checks.append((done, "the impact assessment (P4)"))
    if facts.legal_triggered:
        done = facts.legal_review == "done" or "legal_check" in facts.done_steps
        checks.append((done, "the legal check (P11)"))
    return [label for ok, label in checks if not ok]


def preparation_readiness(facts: CaseFacts, playbook: Playbook) -> Advice:
    """P9: what is still unknown before the first substantive reply (an acknowledgement is fine, P6)."""
    missing = _missing_facts(facts)
    if missing:
        return Advice(
            "preparation",
            "Not ready for a substantive reply yet",
            [f"Still missing: {m}." for m in missing] + ["A short acknowledgement is fine meanwhile (P6)."],
            "warning",
            missing,
        )
    return Advice("preparation", "Ready for the substantive reply", ["Every preparation fact is in."], "ok")


def firmness_advisor(facts: CaseFacts, playbook: Playbook) -> Advice:
    """P20: when the client haggles, remain firm; repeated demands lead to the contract's terms."""
    if not facts.haggling:
        return Advice("firmness", "No haggling seen", ["The client has not bargained over an offer."], "ok")
    reasons = [f"Evidence: {e}" for e in facts.haggling_evidence[:5]]
    reasons.append("Remain firm: restate the offer once, kindly; it is the compromise, not an opening bid.")
    reasons.append("If they think it unfair, ask how they would solve it fairly within both sides' limits.")
    if facts.haggling >= 2:
        terms = facts.termination_terms.strip() or "none recorded on the client"
        reasons.append(f"The demands repeat: follow the contract's termination terms ({terms}).")
    label = (
        "Remain firm: the client keeps haggling" if facts.haggling >= 2 else "Remain firm: the client haggles"
    )
    return Advice("firmness", label, reasons, "warning")


ADVISORS = (
    approach_advisor,
    apology_advisor,
    channel_advisor,
    spokesperson_check,
    preparation_readiness,
    firmness_advisor,
)


def advise(facts: CaseFacts, playbook: Playbook) -> list[Advice]:
    """Run every advisor on the same facts."""
    return [advisor(facts, playbook) for advisor in ADVISORS]
