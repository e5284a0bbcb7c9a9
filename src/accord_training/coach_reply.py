"""Train the coach's reply-level heads (issue 19): one logistic head per language family over the whole reply.

Why: the corpus labels a reply, and an editor judges a reply; sentence heads learnt by multiple-instance
rounds miss the families whose cue is spread over a reply (double_talk, blame_or_excuse). Features (see
`accord.coach.reply_head`): TF-IDF word 1-3-grams, the MiniLM [mean, max] of the sentence embeddings, the
phrase-rule counts per rule and one column per phrase pattern.

Choices use the training and validation splits only (test is never read here): 5-fold group CV over
train+val (groups = business / template family, so one hotel's macros never sit on both sides) gives
out-of-fold probabilities; per family, the C of C_GRID with most out-of-fold recall at precision >= 0.8
is kept, and the warn threshold is the lowest with precision >= 0.8 (counting one imagined false alarm),
raised greedily until at most 8% of the clean replies get any warning (any family, the
completeness checks included; a margin under the issue's 10%). The shipped heads are then fitted
on train+val with those choices. Writes `accord/coach/artifacts/reply.{npz,json}`.

Run (also the last step of `accord_training.coach_heads`):
OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python -m accord_training.coach_reply --corpus data/coach
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from accord.coach import judge, reply_head
from accord.coach.composer import compose_reply, extract_concern
from accord.coach.evaluation import ACTED_ON
from accord.coach.findings import FAULTS, CaseContext
from accord.coach.patterns import PHRASE_RULES
from accord.coach.reply_head import Evidence, ReplyHead
from accord.coach.rules import check_with, evidence, mask_quotes, phrase_matches
from accord.coach.templates import PURPOSES
from accord.triage.ngrams import Vectorizer
from accord_training.coach_data import Example, featurize, load_cache, load_corpus, save_cache

SEED = 0
C_GRID = (1.0, 3.0, 10.0)
SCALES = {"tfidf": 1.0, "emb": 1.0, "rule": 1.0, "pattern": 0.5}
NGRAMS = (1, 3)
MAX_FEATURES = 5000
MIN_DF = 2
FOLDS = 5
TARGET_PRECISION = 0.8
PRIOR_ALARMS = 1  # one imagined false alarm per precision estimate: rare families otherwise warn too low
# The issue allows 10% of clean replies warned; the cap is chosen on the same out-of-fold rows it is
# measured on, so it keeps a margin (8%) for that optimism (96 clean rows: one row is 1%).
MAX_CLEAN_ALARMS = 0.08
MIN_TRUE_POSITIVES = 3
# A phrase pattern warns on its own (`ReplyHead.trusted`) when, on train+val, it hit at least TRUST_HITS
# replies, the editor flagged its family in at least TRUST_PRECISION of them, and at most one was clean.
TRUST_HITS = 4
# missing_next_step (whose only target is precision >= 0.7) may spend at most this share of the clean
# replies on its own warnings, so the language families keep part of the clean-alarm budget above.
COMPLETENESS_CLEAN_SHARE = 0.04
STEP_THRESHOLDS = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))  # 0.5 .. 0.95
TRUST_PRECISION = 0.9
VERSION = "coach-reply-1"
# Accord's own drafts are clean for every language family (the composer must pass its own coach): they
# join every fit set as negatives, never a held-out fold (they would flatter the clean-alarm rate).
DRAFT_MESSAGES = (
    ("Dana", "The booking page has been broken since Monday and we lost a day of appointments.", ""),
    ("Marcus", "You charged us twice for the October retainer.", "a refund of the second charge"),
    ("Priya", "Posts went out without my sign-off again.", "a free month of scheduling"),
)


def reply_evidence(ex: Example) -> Evidence:
    """The run-time evidence for a corpus reply (its sentence embeddings come from `featurize`)."""
    masked = mask_quotes(ex.text)
    return evidence(masked, ex.emb, phrase_matches(masked))


def draft_evidence() -> list[Evidence]:
    """Every purpose of Accord's composer for every fault and legal state, on a few client messages."""
    evs = []
    for name, message, offer in DRAFT_MESSAGES:
        for fault in FAULTS:
            for legal in ("not_needed", "in_progress"):
                ctx = CaseContext(
                    fault=fault, legal_review=legal, client_message=message, contact_name=name,
                    concern=extract_concern(message), offer=offer,
                )  # fmt: skip
                for purpose in PURPOSES:
                    masked = mask_quotes(compose_reply(ctx, purpose))
                    sents = judge.sentences(masked)
                    emb = judge.embed_texts([x.text for x in sents])
                    evs.append(evidence(masked, emb, phrase_matches(masked)))
    return evs


def fit_vectorizer(evs: list[Evidence]) -> Vectorizer:
    """TF-IDF over the masked replies, in the settings the run-time Vectorizer reproduces."""
    vec = TfidfVectorizer(
        ngram_range=NGRAMS, min_df=MIN_DF, sublinear_tf=True, max_features=MAX_FEATURES, dtype=np.float64
    )
    vec.fit([e.masked for e in evs])
    return Vectorizer.from_fitted(vec)


def matrix(evs: list[Evidence], vec: Vectorizer) -> np.ndarray:
    """Feature rows exactly as the run time builds them."""
    return np.array([reply_head.features(e, vec, reply_head.PATTERN_KEYS, SCALES) for e in evs])


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)
    return model.fit(x, y)


def out_of_fold(
    evs: list[Evidence], labels: dict[str, np.ndarray], groups: list[str], drafts: list[Evidence]
) -> dict:
    """{C: {family: out-of-fold probability per reply}}; the vectorizer is refitted inside each fold."""
    out = {c: {f: np.zeros(len(evs)) for f in labels} for c in C_GRID}
    for fit_idx, held_idx in GroupKFold(n_splits=FOLDS).split(evs, groups=groups):
        fit = [evs[i] for i in fit_idx] + drafts
        vec = fit_vectorizer(fit)
        x_fit, x_held = matrix(fit, vec), matrix([evs[i] for i in held_idx], vec)
        for family, y in labels.items():
            y_fit = np.concatenate([y[fit_idx], np.zeros(len(drafts), bool)])
            for c in C_GRID:
                out[c][family][held_idx] = _fit(x_fit, y_fit, c).predict_proba(x_held)[:, 1]
    return out


def threshold(conf: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """(recall, lowest threshold) at precision >= TARGET_PRECISION counting PRIOR_ALARMS; else (0, 1.01)."""
    for t in np.unique(conf):
        fired = conf >= t
        tp = int((fired & truth).sum())
        if tp >= MIN_TRUE_POSITIVES and tp / (fired.sum() + PRIOR_ALARMS) >= TARGET_PRECISION:
            return tp / max(1, int(truth.sum())), float(t)
    return 0.0, 1.01


def any_alarm_rate(
    conf: dict[str, np.ndarray],
    warn_at: dict[str, float],
    clean: np.ndarray,
    already: np.ndarray | None = None,
) -> float:
    """Share of clean replies that get at least one warning (`already`: warned by another check)."""
    fired = np.any([conf[f] >= t for f, t in warn_at.items()], axis=0)
    if already is not None:
        fired = fired | already
    return float((fired & clean).sum() / max(1, clean.sum()))


def next_step_threshold(examples: list[Example]) -> float:
    """The lowest missing_next_step threshold (of STEP_THRESHOLDS) at which, on train+val, that check warns
    on at most COMPLETENESS_CLEAN_SHARE of the clean replies with precision >= TARGET_PRECISION."""
    heads = judge.load_heads()
    assert heads is not None, "the sentence heads must be trained first (coach_heads)"
    open_heads = replace(heads, warn_at={**heads.warn_at, "missing_next_step": 0.0})
    conf, flagged, clean = [], [], []
    for e in examples:
        found = check_with(open_heads, e.text, case_context=e.ctx, whole_reply=True)
        steps = [f.confidence or 0.0 for f in found if f.rule == "missing_next_step"]
        conf.append(max(steps, default=-1.0))
        flagged.append("missing_next_step" in e.labels)
        clean.append(not e.labels)
    c, y, ok = np.array(conf), np.array(flagged), np.array(clean)
    for t in STEP_THRESHOLDS:
        fired = c >= t
        precise = (fired & y).sum() >= TARGET_PRECISION * max(int(fired.sum()), 1)
        if (fired & ok).sum() <= COMPLETENESS_CLEAN_SHARE * ok.sum() and precise:
            return t
    return STEP_THRESHOLDS[-1]


def set_next_step_threshold(examples: list[Example]) -> float:
    """Write the chosen missing_next_step threshold into the shipped sentence heads' judge.json."""
    dev = [e for e in examples if e.split in ("train", "val")]
    t = next_step_threshold(dev)
    meta = json.loads(judge.META_FILE.read_text(encoding="utf-8"))
    meta["warn_at"]["missing_next_step"] = t
    judge.META_FILE.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    judge.load_heads.cache_clear()
    return t


def completeness_alarms(examples: list[Example]) -> np.ndarray:
    """Replies the shipped completeness checks warn about: a clean reply warned there is already a false
    alarm, so the language families share what is left of the 10% budget (issue 19 counts any family)."""
    heads = judge.load_heads()
    out = []
    for e in examples:
        found = check_with(heads, e.text, case_context=e.ctx, whole_reply=True)
        out.append(any(f.rule in judge.COMPLETENESS and f.severity in ACTED_ON for f in found))
    return np.array(out, dtype=bool)


def cap_clean_alarms(
    conf: dict[str, np.ndarray],
    labels: dict[str, np.ndarray],
    warn_at: dict[str, float],
    clean: np.ndarray,
    already: np.ndarray | None = None,
) -> dict[str, float]:
    """Raise thresholds until at most MAX_CLEAN_ALARMS of the clean replies get any warning: each step takes
    the raise that loses fewest true positives (a user warned on every other good reply stops reading)."""
    warn_at = dict(warn_at)
    spare = clean if already is None else clean & ~already
    while any_alarm_rate(conf, warn_at, clean, already) > MAX_CLEAN_ALARMS:
        moves = []
        for family, t in warn_at.items():
            firing = conf[family][spare & (conf[family] >= t)]
            if len(firing):
                raised = float(np.nextafter(firing.min(), 2.0))
                lost = int(((conf[family] >= t) & (conf[family] < raised) & labels[family]).sum())
                moves.append((lost, family, raised))
        if not moves:
            break
        _, family, raised = min(moves)
        warn_at[family] = raised
    return warn_at


def choose(
    oof: dict, labels: dict[str, np.ndarray], clean: np.ndarray, already: np.ndarray | None = None
) -> tuple[dict, dict, dict]:
    """Per family: the C with most out-of-fold recall at the target precision, its threshold, then the cap."""
    chosen_c, warn_at = {}, {}
    for family, y in labels.items():
        best = max(C_GRID, key=lambda c: (threshold(oof[c][family], y)[0], -c))
        chosen_c[family], warn_at[family] = best, threshold(oof[best][family], y)[1]
    conf = {f: oof[chosen_c[f]][f] for f in labels}
    warn_at = cap_clean_alarms(conf, labels, warn_at, clean, already)
    return chosen_c, warn_at, conf


def report(
    conf: dict[str, np.ndarray],
    labels: dict[str, np.ndarray],
    warn_at: dict,
    clean: np.ndarray,
    already: np.ndarray | None = None,
) -> dict:
    """Out-of-fold recall, precision and clean false alarms per family at the chosen thresholds."""
    out: dict[str, Any] = {}
    for family, y in labels.items():
        fired = conf[family] >= warn_at[family]
        tp = int((fired & y).sum())
        out[family] = {
            "recall": round(tp / max(1, int(y.sum())), 3),
            "precision": round(tp / fired.sum(), 3) if fired.sum() else None,
            "clean_false_alarm_rate": round(float((fired & clean).sum() / max(1, clean.sum())), 3),
        }
    out["clean_any_language_false_alarm_rate"] = round(any_alarm_rate(conf, warn_at, clean), 3)
    out["clean_any_false_alarm_rate"] = round(any_alarm_rate(conf, warn_at, clean, already), 3)
    return out


def train(examples: list[Example]) -> tuple[ReplyHead, dict[str, Any]]:
    """Choose on out-of-fold train+val, fit on train+val; the test split is left out entirely."""
    dev = [e for e in examples if e.split in ("train", "val")]
    evs = [reply_evidence(e) for e in dev]
    labels = {f: np.array([f in e.labels for e in dev]) for f in judge.LANGUAGE}
    clean = np.array([not e.labels for e in dev])
    drafts = draft_evidence()
    oof = out_of_fold(evs, labels, [e.group for e in dev], drafts)
    already = completeness_alarms(dev)
    chosen_c, warn_at, conf = choose(oof, labels, clean, already)
    vec = fit_vectorizer(evs + drafts)
    x = matrix(evs + drafts, vec)
    no = np.zeros(len(drafts), bool)
    models = {f: _fit(x, np.concatenate([y, no]), chosen_c[f]) for f, y in labels.items()}
    head = ReplyHead(
        families=tuple(labels),
        vectorizer=vec,
        patterns=reply_head.PATTERN_KEYS,
        scales=dict(SCALES),
        weights=np.array([models[f].coef_[0] for f in labels]),
        bias=np.array([models[f].intercept_[0] for f in labels]),
        warn_at=warn_at,
        version=VERSION,
    )
    head = replace(head, trusted=trusted_patterns(evs, labels, clean))
    meta = {
        "trusted": {f: sorted(keys) for f, keys in head.trusted.items()},
        "c": chosen_c,
        "trained_on": {"replies": len(dev), "drafts": len(drafts)},
        "out_of_fold": report(conf, labels, warn_at, clean, already),
    }
    return head, meta


def trusted_patterns(
    evs: list[Evidence], labels: dict[str, np.ndarray], clean: np.ndarray
) -> dict[str, frozenset[str]]:
    """Per family, its phrase patterns an editor nearly always agreed with on train+val (see TRUST_*)."""
    family_of = {regex: rule.rule for rule in PHRASE_RULES for regex, _ in rule.patterns}
    out: dict[str, set[str]] = {}
    for key, family in family_of.items():
        if family not in labels:
            continue
        hit = np.array([key in ev.patterns for ev in evs])
        n = int(hit.sum())
        if n >= TRUST_HITS and labels[family][hit].mean() >= TRUST_PRECISION and clean[hit].sum() <= 1:
            out.setdefault(family, set()).add(key)
    return {f: frozenset(keys) for f, keys in out.items()}


def save(head: ReplyHead, extra: dict[str, Any]) -> None:
    """Weights and idf as float32 arrays, vocabulary and pattern columns as JSON, beside judge.npz."""
    vocab = sorted(head.vectorizer.vocabulary, key=head.vectorizer.vocabulary.__getitem__)
    np.savez_compressed(
        reply_head.HEAD_FILE,
        weights=head.weights.astype(np.float32),
        bias=head.bias.astype(np.float32),
        idf=head.vectorizer.idf.astype(np.float32),
    )
    meta = {
        "version": head.version,
        "families": list(head.families),
        "ngram_range": list(head.vectorizer.ngram_range),
        "scales": head.scales,
        "warn_at": head.warn_at,
        "patterns": list(head.patterns),
        "vocabulary": vocab,
        **extra,
    }
    reply_head.META_FILE.write_text(json.dumps(meta, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def run(examples: list[Example]) -> dict[str, Any]:
    """Train, save, and return the out-of-fold report (what the thresholds were chosen on)."""
    print("missing_next_step warns from:", set_next_step_threshold(examples))
    head, meta = train(examples)
    save(head, meta)
    judge.load_heads.cache_clear()
    print("reply heads C:", meta["c"], "warn_at:", {k: round(v, 3) for k, v in head.warn_at.items()})
    print("reply heads, out-of-fold train+val:", json.dumps(meta["out_of_fold"]))
    return dict(meta["out_of_fold"])


def main(argv: list[str] | None = None) -> int:
    """Reply heads only: keeps the shipped sentence heads (judge.npz) as they are."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--cache", type=Path, help="embedding cache file kept between runs (not the repo)")
    args = ap.parse_args(argv)
    judge.set_cache_size(1_000_000)
    load_cache(args.cache)
    examples = load_corpus(args.corpus)
    for ex in examples:
        featurize(ex)
    save_cache(args.cache)
    run(examples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
