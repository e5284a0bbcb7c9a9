"""Blend the phrase rules with the learnt heads for the six language families (issue 19; P14, P16, P17).

A phrase hit keeps its exact span and rewrite and gets the calibrated confidence of its sentence (the
calibrator has seen how often a hit was right): `warn` above the family's threshold, `info` below it.
When no phrase of the family matched, the sentence the heads rank highest becomes one finding, only
above the threshold (quoting that sentence, with a rewrite from `rewrite.suggest`), so a guess never
clutters the list. Blocking
rules stay blocking. A family whose threshold never reached the target precision on validation keeps
the phrase rules' own verdicts.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from accord.coach import cues
from accord.coach.findings import CaseContext, Finding
from accord.coach.judge import LANGUAGE, Heads, Judged, language_confidence
from accord.coach.patterns import PHRASE_RULES
from accord.coach.rewrite import suggest

MESSAGES = {rule.rule: rule.message for rule in PHRASE_RULES}


def _sentence_of(judged: Judged, finding: Finding) -> int:
    for i, s in enumerate(judged.sentences):
        if finding.start < s.end and finding.end > s.start:
            return i
    return -1


# A sentence where we own the slip ("our check held it by mistake", "we got it wrong") is the opposite of
# blame (coach-families.md: "instead of owning it"), whatever the head says.
OWNED = re.compile(r"\b(?:our|my|we|I)\b[^.!?;]{0,60}?\b(?:by mistake|in error)\b", re.IGNORECASE)


def _vetoed(family: str, judged: Judged, i: int) -> bool:
    """An apology that names what we did is a real apology, and a slip we own is not blame
    (coach-families.md), whatever the head says."""
    text = judged.sentences[i].text
    if family == "blame_or_excuse":
        return bool(cues.OFFENCE_ADMISSION.search(text) or OWNED.search(text))
    return family == "non_apology" and bool(cues.NAMED_APOLOGY.search(text))


def _rule_hits(
    family: str, hits: list[Finding], heads: Heads, judged: Judged, conf: np.ndarray
) -> list[Finding]:
    """The phrase hits with their sentence's confidence: warn above the threshold, info below."""
    trusted = heads.trusted(family)
    found = []
    for f in hits:
        i = _sentence_of(judged, f)
        c = float(conf[i]) if i >= 0 else None
        severity = f.severity
        if trusted and severity != "block" and c is not None:
            severity = "warn" if heads.warns(family, c) else "info"
        found.append(replace(f, severity=severity, confidence=c))
    return found


def _family_findings(
    text: str, family: str, hits: list[Finding], heads: Heads, judged: Judged, ctx: CaseContext | None
) -> list[Finding]:
    flags = judged.rule_hits([(f.start, f.end) for f in hits])
    conf = language_confidence(heads, judged, family, flags)
    found = _rule_hits(family, hits, heads, judged, conf)
    if not heads.trusted(family) or any(f.severity in ("warn", "block") for f in found):
        return found
    free = [i for i in range(len(judged.sentences)) if not flags[i] and not _vetoed(family, judged, i)]
    best = max(free, key=lambda i: float(conf[i]), default=None)
    if best is not None and heads.warns(family, float(conf[best])):
        found.append(_head_finding(text, family, judged, best, float(conf[best]), ctx))
    return found


def _head_finding(
    text: str, family: str, judged: Judged, i: int, conf: float, ctx: CaseContext | None
) -> Finding:
    """A finding on sentence i, for a family the heads flag without a phrase hit: quotes it, rewrites it."""
    s = judged.sentences[i]
    suggestion = suggest(family, s.text, ctx)
    return Finding(family, "warn", s.start, s.end, text[s.start : s.end], MESSAGES[family], suggestion, conf)


def _reply_findings(
    text: str,
    family: str,
    hits: list[Finding],
    heads: Heads,
    judged: Judged,
    ctx: CaseContext | None,
    conf: float,
    trusted: set[tuple[int, int]],
) -> list[Finding]:
    """The reply head decides (issue 19: the judgement is per reply): at or above the family's threshold
    the phrase hits warn, or, without one, the sentence the sentence heads rank highest; below: info,
    except a hit of a trusted pattern (`ReplyHead.trusted`), which warns on its own."""
    warn = heads.reply is not None and conf >= heads.reply.warn_at.get(family, 2.0)
    found = [
        replace(f, severity=_hit_severity(f, warn or (f.start, f.end) in trusted), confidence=conf)
        for f in hits
    ]
    if not warn or found:
        return found
    flags = judged.rule_hits([])
    per_sentence = language_confidence(heads, judged, family, flags)
    free = [i for i in range(len(judged.sentences)) if not _vetoed(family, judged, i)]
    best = max(free, key=lambda i: float(per_sentence[i]), default=None)
    return [] if best is None else [_head_finding(text, family, judged, best, conf, ctx)]


def _hit_severity(hit: Finding, warn: bool) -> str:
    return hit.severity if hit.severity == "block" else ("warn" if warn else "info")


def blend_findings(
    text: str,
    phrase_findings: list[Finding],
    heads: Heads,
    judged: Judged,
    ctx: CaseContext | None,
    reply_conf: dict[str, float] | None = None,
    trusted: set[tuple[int, int]] | None = None,
) -> list[Finding]:
    """Phrase findings re-weighed by the heads, plus the sentences the heads flag on their own; a family the
    reply-level head judges (`reply_conf`) is decided by it."""
    reply_conf = reply_conf or {}
    judged_families = [f for f in LANGUAGE if f in heads.families or f in reply_conf]
    found = [f for f in phrase_findings if f.rule not in judged_families]
    for family in judged_families:
        hits = [f for f in phrase_findings if f.rule == family]
        if family in reply_conf:
            found += _reply_findings(
                text, family, hits, heads, judged, ctx, reply_conf[family], trusted or set()
            )
        else:
            found += _family_findings(text, family, hits, heads, judged, ctx)
    return found
