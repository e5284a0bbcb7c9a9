"""Train the coach's reply-level heads (issue 19): one logistic head per language family over the whole reply.

Why: the corpus labels a reply, and an editor judges a reply; sentence heads learnt by multiple-instance
rounds miss the families whose cue is spread over a reply (double_talk, blame_or_excuse). Features (see
`accord.coach.reply_head`): TF-IDF word 1-3-grams, the MiniLM [mean, max] of the sentence embeddings, the
phrase-rule counts per rule, one column per phrase pattern and the reply's structure
(`accord.coach.structure`: a vague time promise with no step or date anywhere, agentless passives,
reminders, conditional apologies), each structure column read by its own family's head only.

Choices use the training and validation splits only (test is never read here): 5-fold group CV over
train+val (groups = business / template family, so one hotel's macros never sit on both sides) gives
out-of-fold probabilities; per family, the C of C_GRID with most out-of-fold recall at precision >= 0.8
is kept, and the warn threshold is the lowest with precision >= 0.8 (counting one imagined false alarm),
raised greedily until at most 8% of the clean replies get any warning (any family, the
completeness checks included; a margin under the issue's 10%). missing_next_step's threshold is chosen
with them (`choose_with_step`), since its warnings on clean replies spend the same budget. The shipped
heads are then fitted on train+val with those choices. Writes `accord/coach/artifacts/reply.{npz,json}`.

Run (also the last step of `accord_training.coach_heads`):
OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python -m accord_training.coach_reply --corpus data/coach
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from accord.coach import judge, reply_head, structure, tuned
from accord.coach.composer import compose_reply, extract_concern
from accord.coach.evaluation import ACTED_ON
from accord.coach.findings import FAULTS, CaseContext
from accord.coach.patterns import PHRASE_RULES
from accord.coach.reply_head import Evidence, ReplyHead
from accord.coach.rules import check_with, evidence, mask_quotes, phrase_matches
from accord.coach.templates import PURPOSES
from accord.text import json_lines
from accord.triage.ngrams import Vectorizer
from accord_training.coach_data import (
    DRAFT_NEXT_UPDATE,
    Example,
    attach_tuned,
    family_name,
    featurize,
    load_cache,
    load_corpus,
    save_cache,
)

SEED = 0
C_GRID = (1.0, 3.0, 10.0)
SCALES = {"tfidf": 1.0, "emb": 1.0, "rule": 1.0, "pattern": 0.5, "structure": 1.0}
# Weights of the tuned network's logit in each family's blend (`accord.coach.tuned`), chosen per family with
# C out of fold: (1 - w) * head logit + w * tuned logit. 0 keeps the head alone (evasive_passive, where the
# network ranks poorly); stacking its logits as seven more columns of the head was tried first and lost
# (out of fold evasive_passive 0.42 -> 0.24, hedging 0.62 -> 0.59: C shrank them beside 5,000 others).
TUNED_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
# Families that never blend the tuned network, whatever out of fold prefers. blame_or_excuse: the network
# (fitted in the tenth session on 2,320 replies) reads an owned fault as an excuse; every refit on the
# 6,116-row corpus took it at 0.25 and warned on replies that own the fault and give a dated step
# (`OWNING_REPLIES` in tests/coach/test_judge.py: 4 of 9 at 0.85-0.99). Lift it once the network is refitted.
UNTUNED = frozenset({"blame_or_excuse"})
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
# A (C, tuned weight) that wins by one or two replies out of fold wins by noise (a recall's standard error
# here is about 0.03, ten replies): the simpler key (smaller C, then less of the tuned network, which
# cannot see the structure columns) is kept. Twelfth session: hedging 0.705 at w 0.5 against 0.702 at 0.25;
# summed out-of-fold recall over the six families 3.53 either way.
TIE_POSITIVES = 2
# A phrase pattern warns on its own (`ReplyHead.trusted`) when, on train+val, it hit at least TRUST_HITS
# replies, the editor flagged its family in at least TRUST_PRECISION of them, and at most one was clean.
TRUST_HITS = 4
# missing_next_step (whose only target is precision >= 0.7) may spend at most this share of the clean
# replies on its own warnings, so the language families keep part of the clean-alarm budget above.
COMPLETENESS_CLEAN_SHARE = 0.04
STEP_THRESHOLDS = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))  # 0.5 .. 0.95
TRUST_PRECISION = 0.9
VERSION = "coach-reply-1"
WRITTEN = "written"  # the corpus's folder of the team's own replies (training only)
# Chosen out of fold on the real train+val replies (scripts/coach_oof.py, 2,101 replies, eighth session):
# written rows at weight 0.3 in these three heads only (and out of the TF-IDF vocabulary) raised recall at
# the chosen thresholds non_apology 0.755->0.817, double_talk 0.440->0.540, hedging 0.562->0.606 and left
# the other families unchanged; in every head they lowered evasive_passive (0.517->0.233) and condescension.
# Eighteenth session: in condescension's head too. Out of fold on 4,689 replies it helped (0.553 -> 0.560 at
# precision 0.8), and without it that head warned on 47 of the 136 clean written replies (well-formed replies
# in a UK/US support register, which it never saw): "you're right", "I've refunded ..." read as talking down.
WRITTEN_SHARE = 0.3
WRITTEN_USED_BY = frozenset({"non_apology", "double_talk", "hedging", "condescension"})
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
    return evidence(masked, ex.emb, phrase_matches(masked), ex.tuned)


def draft_texts() -> list[str]:
    """Every purpose of Accord's composer for every fault and legal state, on a few client messages, dated
    DRAFT_NEXT_UPDATE whatever day training runs."""
    texts = []
    for name, message, offer in DRAFT_MESSAGES:
        for fault in FAULTS:
            for legal in ("not_needed", "in_progress"):
                ctx = CaseContext(
                    fault=fault, legal_review=legal, client_message=message, contact_name=name,
                    concern=extract_concern(message), offer=offer, next_update=DRAFT_NEXT_UPDATE,
                )  # fmt: skip
                texts += [compose_reply(ctx, purpose) for purpose in PURPOSES]
    return texts


def draft_evidence() -> list[Evidence]:
    """The drafts of `draft_texts` as the heads read them."""
    evs = []
    for text in draft_texts():
        masked = mask_quotes(text)
        sents = judge.sentences(masked)
        emb = judge.embed_texts([x.text for x in sents])
        evs.append(evidence(masked, emb, phrase_matches(masked), _tuned_logits(sents)))
    return evs


def _tuned_logits(sents: list[judge.Sentence]) -> np.ndarray | None:
    net = tuned.load()
    return None if net is None else net.reply_logits(judge.tuned_vectors([x.text for x in sents]))


def tuned_families() -> tuple[str, ...]:
    """The families of the installed tuned network's logits, or none."""
    net = tuned.load()
    return () if net is None else net.families


def fit_vectorizer(evs: list[Evidence]) -> Vectorizer:
    """TF-IDF over the masked replies, in the settings the run-time Vectorizer reproduces, on
    `top_terms`' vocabulary."""
    docs = [e.masked for e in evs]
    vec = TfidfVectorizer(ngram_range=NGRAMS, sublinear_tf=True, vocabulary=top_terms(docs), dtype=np.float64)
    vec.fit(docs)
    return Vectorizer.from_fitted(vec)


def top_terms(docs: list[str]) -> list[str]:
    """The MAX_FEATURES most frequent n-grams found in at least MIN_DF replies, ties broken by the term.

    Why not TfidfVectorizer's own max_features: it cuts with an unstable argsort, whose order among terms
    of equal count depends on the CPU's sort kernel; the same corpus then gave another vocabulary on
    another machine (about 100 of 5,000 terms), and with it other C, thresholds and out-of-fold numbers."""
    counts = CountVectorizer(ngram_range=NGRAMS, min_df=MIN_DF)
    totals = np.asarray(counts.fit_transform(docs).sum(axis=0)).ravel()
    terms = counts.get_feature_names_out()
    ranked = sorted(range(len(terms)), key=lambda i: (-int(totals[i]), str(terms[i])))
    return sorted(str(terms[i]) for i in ranked[:MAX_FEATURES])


def matrix(evs: list[Evidence], vec: Vectorizer) -> np.ndarray:
    """Feature rows exactly as the run time builds them."""
    return np.array(
        [reply_head.features(e, vec, reply_head.PATTERN_KEYS, SCALES, structure.KEYS) for e in evs]
    )


def own_columns(x: np.ndarray, family: str) -> np.ndarray:
    """`x` with the structure columns of other families zeroed (structure.FAMILY_KEYS): a family's head then
    learns a zero weight for them, so "no step or date" speaks for hedging and not for condescension."""
    own = structure.FAMILY_KEYS.get(family, ())
    drop = [x.shape[1] - len(structure.KEYS) + i for i, key in enumerate(structure.KEYS) if key not in own]
    out = x.copy()
    out[:, drop] = 0.0
    return out


def _fit(x: np.ndarray, y: np.ndarray, c: float, weight: np.ndarray) -> LogisticRegression:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)
    return model.fit(x, y, sample_weight=weight)


@dataclass
class Fixed:
    """Rows that join every fit set and are never held out, scored or used for a threshold: Accord's own
    drafts (clean), optionally real replies of a corpus round being judged (`scripts/coach_oof.py`), and the
    team's written replies (`written/`, training only): the choices stay on real replies the heads did not
    see. A written row weighs `share` in the heads of `used_by` and nothing in the others (out of fold they
    taught those paraphrases, and taught the other heads our own style)."""

    evs: list[Evidence]
    labels: dict[str, np.ndarray]
    weight: dict[str, np.ndarray]
    in_vocabulary: int  # the first rows (drafts and real ones); only they, with the scored rows, shape TF-IDF

    @classmethod
    def of(
        cls,
        drafts: list[Evidence],
        written: list[Example],
        families: tuple[str, ...],
        share: float = WRITTEN_SHARE,
        used_by: frozenset[str] = WRITTEN_USED_BY,
        real: list[Example] | None = None,
    ) -> Fixed:
        """`real` rows weigh 1 in every head and join the vocabulary, like the scored replies."""
        real = real or []
        evs = drafts + [reply_evidence(e) for e in real + written]
        labels = {
            f: np.array([False] * len(drafts) + [f in e.labels for e in real + written], bool)
            for f in families
        }
        ones = np.ones(len(drafts) + len(real))
        weight = {f: np.r_[ones, np.full(len(written), share if f in used_by else 0.0)] for f in families}
        return cls(evs, labels, weight, len(drafts) + len(real))

    def weights(self, real: int, family: str) -> np.ndarray:
        """Sample weights of `real` corpus rows followed by these rows, in `family`'s head."""
        return np.r_[np.ones(real), self.weight[family]]

    def vocabulary(self, real: list[Evidence]) -> Vectorizer:
        """TF-IDF fitted on real rows and drafts only: the written rows' words would otherwise shift the
        features of the heads they do not teach (out of fold: evasive_passive and blame_or_excuse lost)."""
        return fit_vectorizer(real + self.evs[: self.in_vocabulary])


def load_written(folder: Path) -> list[Example]:
    """The team's own hand-written replies (`written/replies_*.jsonl`, the files `written/check.py` checks;
    `{"id","text","context","labels"}` per line), if any. A bad line
    stops training with its file and line named: a silently skipped row would change what the heads learn."""
    out = []
    for path in sorted(folder.glob("replies_*.jsonl")) if folder.is_dir() else []:
        for n, line in json_lines(path.read_text(encoding="utf-8")):
            out.append(_written_row(line, f"{path.name}:{n}"))
    return out


def _written_row(line: str, where: str) -> Example:
    try:
        row = json.loads(line)
        labels = frozenset(family_name(x) for x in row["labels"])
        return Example(row["id"], row["text"], row.get("context", ""), WRITTEN, labels, WRITTEN)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{where}: not a written reply row ({exc})") from exc


def out_of_fold(evs: list[Evidence], labels: dict[str, np.ndarray], groups: list[str], fixed: Fixed) -> dict:
    """{C: {family: out-of-fold probability per reply}}; the vectorizer is refitted inside each fold."""
    out = {c: {f: np.zeros(len(evs)) for f in labels} for c in C_GRID}
    for fit_idx, held_idx in GroupKFold(n_splits=FOLDS).split(evs, groups=groups):
        fit = [evs[i] for i in fit_idx] + fixed.evs
        vec = fixed.vocabulary([evs[i] for i in fit_idx])
        x_fit, x_held = matrix(fit, vec), matrix([evs[i] for i in held_idx], vec)
        for family, y in labels.items():
            y_fit = np.concatenate([y[fit_idx], fixed.labels[family]])
            xf, xh = own_columns(x_fit, family), own_columns(x_held, family)
            w = fixed.weights(len(fit_idx), family)
            for c in C_GRID:
                out[c][family][held_idx] = _fit(xf, y_fit, c, w).predict_proba(xh)[:, 1]
    return out


def with_tuned(oof: dict, evs: list[Evidence]) -> dict:
    """{(C, w): {family: out-of-fold probability}}: each C's head blended with the tuned network's
    out-of-fold logits at each weight of TUNED_WEIGHTS (only w = 0 without a network, and for UNTUNED)."""
    families = tuned_families()
    logits = np.array([e.tuned for e in evs]) if families else np.zeros((len(evs), 0))
    weights = TUNED_WEIGHTS if families and logits.shape == (len(evs), len(families)) else (0.0,)
    out = {}
    for c, probs in oof.items():
        for w in weights:
            out[(c, w)] = {
                f: _blended(p, logits, families, f, 0.0 if f in UNTUNED else w) for f, p in probs.items()
            }
    return out


def _blended(
    p: np.ndarray, logits: np.ndarray, families: tuple[str, ...], family: str, w: float
) -> np.ndarray:
    if w == 0 or family not in families:
        return p
    z = np.log(np.clip(p, 1e-9, 1 - 1e-9) / np.clip(1 - p, 1e-9, 1))
    z = (1 - w) * z + w * logits[:, families.index(family)]
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


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


def step_confidences(examples: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    """Per reply: missing_next_step's confidence where the cues find no step (-1 elsewhere), and whether
    another completeness check warns (on a clean reply either is a false alarm: issue 19 counts any)."""
    heads = judge.load_heads()
    assert heads is not None, "the sentence heads must be trained first (coach_heads)"
    open_heads = replace(heads, warn_at={**heads.warn_at, "missing_next_step": 0.0})
    conf, other = [], []
    for e in examples:
        found = check_with(open_heads, e.text, case_context=e.ctx, whole_reply=True)
        conf.append(max((f.confidence or 0.0 for f in found if f.rule == "missing_next_step"), default=-1.0))
        others = (f for f in found if f.rule in judge.COMPLETENESS and f.rule != "missing_next_step")
        other.append(any(f.severity in ACTED_ON for f in others))
    return np.array(conf), np.array(other, dtype=bool)


def step_candidates(conf: np.ndarray, flagged: np.ndarray, clean: np.ndarray) -> list[float]:
    """missing_next_step thresholds (of STEP_THRESHOLDS) at which, on train+val, it warns with precision >=
    TARGET_PRECISION on at most COMPLETENESS_CLEAN_SHARE of the clean replies."""
    out = []
    for t in STEP_THRESHOLDS:
        fired = conf >= t
        precise = (fired & flagged).sum() >= TARGET_PRECISION * max(int(fired.sum()), 1)
        if (fired & clean).sum() <= COMPLETENESS_CLEAN_SHARE * clean.sum() and precise:
            out.append(t)
    return out or [STEP_THRESHOLDS[-1]]


def write_next_step_threshold(t: float) -> None:
    """Write the chosen missing_next_step threshold into the shipped sentence heads' judge.json."""
    meta = json.loads(judge.META_FILE.read_text(encoding="utf-8"))
    meta["warn_at"]["missing_next_step"] = t
    judge.META_FILE.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    judge.load_heads.cache_clear()


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


@dataclass
class StepChoice:
    """missing_next_step's threshold and the language families' choices that go with it."""

    step_at: float
    chosen_c: dict
    warn_at: dict
    conf: dict
    already: np.ndarray  # replies some completeness check warns about at that threshold
    score: float  # out-of-fold recall summed over the families and missing_next_step


def choose_with_step(
    oof: dict, labels: dict[str, np.ndarray], clean: np.ndarray, step: np.ndarray, flagged: np.ndarray,
    other: np.ndarray,
) -> StepChoice:  # fmt: skip
    """missing_next_step's threshold chosen with the language families' (they share the clean-alarm cap):
    of `step_candidates`, the one whose out-of-fold recall summed over the six families and
    missing_next_step is highest. The lowest candidate alone spent the families' budget (corpus round 5:
    0.65 where 0.70 kept non_apology 0.80 and evasive_passive 0.73 for 0.02 of step recall)."""
    choices = []
    for t in step_candidates(step, flagged, clean):
        already = other | (step >= t)
        chosen_c, warn_at, conf = choose(oof, labels, clean, already)
        fired = report(conf, labels, warn_at, clean, already)
        score = sum(fired[f]["recall"] for f in labels) + (already & flagged).sum() / max(1, flagged.sum())
        choices.append(StepChoice(t, chosen_c, warn_at, conf, already, float(score)))
    return max(choices, key=lambda c: c.score)  # the first (lowest threshold) on a tie


def choose(
    oof: dict, labels: dict[str, np.ndarray], clean: np.ndarray, already: np.ndarray | None = None
) -> tuple[dict, dict, dict]:
    """Per family: the key of `oof` (a C, or a (C, tuned weight) pair) with most out-of-fold recall at the
    target precision (within TIE_POSITIVES replies of it, the smallest), its threshold, then the cap."""
    chosen_c, warn_at = {}, {}
    for family, y in labels.items():
        best = simplest_best({k: threshold(oof[k][family], y)[0] for k in oof}, int(y.sum()))
        chosen_c[family], warn_at[family] = best, threshold(oof[best][family], y)[1]
    conf = {f: oof[chosen_c[f]][f] for f in labels}
    warn_at = cap_clean_alarms(conf, labels, warn_at, clean, already)
    return chosen_c, warn_at, conf


def simplest_best(recall: dict[Any, float], positives: int) -> Any:
    """The smallest key (C, then tuned weight) whose recall is within TIE_POSITIVES replies of the best."""
    slack = TIE_POSITIVES / max(1, positives) + 1e-9
    top = max(recall.values())
    return min((k for k, r in recall.items() if r >= top - slack), key=lambda k: tuple(np.atleast_1d(k)))


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


def train(examples: list[Example], written: list[Example] | None = None) -> tuple[ReplyHead, dict[str, Any]]:
    """Choose on out-of-fold train+val, fit on train+val (and the written replies); the test split is left
    out entirely."""
    dev = [e for e in examples if e.split in ("train", "val")]
    evs = [reply_evidence(e) for e in dev]
    labels = {f: np.array([f in e.labels for e in dev]) for f in judge.LANGUAGE}
    clean = np.array([not e.labels for e in dev])
    written = written or []
    fixed = Fixed.of(draft_evidence(), written, judge.LANGUAGE)
    oof = with_tuned(out_of_fold(evs, labels, [e.group for e in dev], fixed), evs)
    step, other = step_confidences(dev)
    flagged = np.array(["missing_next_step" in e.labels for e in dev])
    picked = choose_with_step(oof, labels, clean, step, flagged, other)
    chosen_c, warn_at = picked.chosen_c, picked.warn_at
    vec = fixed.vocabulary(evs)
    x = matrix(evs + fixed.evs, vec)
    models = {}
    for f, y in labels.items():
        y_fit = np.concatenate([y, fixed.labels[f]])
        models[f] = _fit(own_columns(x, f), y_fit, chosen_c[f][0], fixed.weights(len(evs), f))
    head = ReplyHead(
        families=tuple(labels),
        vectorizer=vec,
        patterns=reply_head.PATTERN_KEYS,
        structure=structure.KEYS,
        tuned=tuned_families(),
        tuned_weight={f: float(chosen_c[f][1]) for f in labels},
        scales=dict(SCALES),
        weights=np.array([models[f].coef_[0] for f in labels]),
        bias=np.array([models[f].intercept_[0] for f in labels]),
        warn_at=warn_at,
        version=VERSION,
    )
    head = replace(head, trusted=trusted_patterns(evs, labels, clean))
    meta = {
        "trusted": {f: sorted(keys) for f, keys in head.trusted.items()},
        "c": {f: key[0] for f, key in chosen_c.items()},
        "trained_on": {"replies": len(dev), "written": len(written), "fixed": len(fixed.evs)},
        "missing_next_step_warn_at": picked.step_at,
        "out_of_fold": report(picked.conf, labels, warn_at, clean, picked.already),
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
        "structure": list(head.structure),
        "tuned": list(head.tuned),
        "tuned_weight": head.tuned_weight,
        "vocabulary": vocab,
        **extra,
    }
    reply_head.META_FILE.write_text(json.dumps(meta, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def run(examples: list[Example], written: list[Example] | None = None) -> dict[str, Any]:
    """Train, save, and return the out-of-fold report (what the thresholds were chosen on)."""
    head, meta = train(examples, written)
    save(head, meta)
    write_next_step_threshold(meta["missing_next_step_warn_at"])
    print("missing_next_step warns from:", meta["missing_next_step_warn_at"])
    judge.load_heads.cache_clear()
    print("reply heads C:", meta["c"], "warn_at:", {k: round(v, 3) for k, v in head.warn_at.items()})
    print("tuned network's weight in the blend:", head.tuned_weight)
    print("reply heads, out-of-fold train+val:", json.dumps(meta["out_of_fold"]))
    return dict(meta["out_of_fold"])


def load_featurized(corpus: Path, cache: Path | None) -> tuple[list[Example], list[Example]]:
    """The corpus's replies and the written ones, embedded and with the tuned network's logits; the
    embedding cache is read first and saved after, so a rerun embeds only what is new."""
    judge.set_cache_size(1_000_000)
    load_cache(cache)
    examples = load_corpus(corpus)
    written = load_written(corpus / WRITTEN)
    for ex in examples + written:
        featurize(ex)
    attach_tuned(examples + written, corpus)
    save_cache(cache)
    return examples, written


def main(argv: list[str] | None = None) -> int:
    """Reply heads only: keeps the shipped sentence heads (judge.npz) as they are."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--cache", type=Path, help="embedding cache file kept between runs (not the repo)")
    args = ap.parse_args(argv)
    run(*load_featurized(args.corpus, args.cache))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
