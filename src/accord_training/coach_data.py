"""The reply-coach corpus as training examples: labels joined to re-built texts, group-aware splits and the
per-sentence features the run-time judge uses (issue 19).

The corpus folder holds `labels.jsonl` (ids, families, optional split; committed) and `texts/*.jsonl`
(the replies and the client messages they answer, re-built from pinned public sources by the corpus's
`rebuild.py`; never committed). Splits are by business (`group`), so one hotel's templated replies
never sit on both sides of a split; the test split is never used for any choice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from accord.coach import completeness, cues, judge, tuned
from accord.coach.composer import extract_concern
from accord.coach.findings import CaseContext
from accord.coach.rules import check_with, mask_quotes
from accord.text import json_lines

FAMILIES = judge.LANGUAGE + judge.COMPLETENESS
CODES = {
    "NA": "non_apology",
    "DT": "double_talk",
    "EP": "evasive_passive",
    "BE": "blame_or_excuse",
    "CO": "condescension",
    "HE": "hedging",
    "MA": "missing_acknowledgement",
    "ME": "missing_empathy",
    "MN": "missing_next_step",
}
SPLITS = ("train", "val", "test")
# The next-update time written into Accord's own drafts when they are training rows. Left to the clock, a
# draft's date words ("Monday 7 December") changed with the day training ran, and with them the TF-IDF
# counts, the vocabulary's cut and the heads: the same corpus must give the same heads on any day.
DRAFT_NEXT_UPDATE = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)
TUNED_OOF = "tuned_oof.npz"  # out-of-fold logits of the tuned network (accord_training.coach_tuning)


@dataclass
class Example:
    """One labelled reply with its sentence features."""

    id: str
    text: str
    context: str
    group: str
    labels: frozenset[str]
    split: str
    emb: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), np.float32))
    hits: dict[str, np.ndarray] = field(default_factory=dict)  # family -> per-sentence phrase hit
    cues: dict[str, np.ndarray] = field(default_factory=dict)  # missing_* -> per-sentence presence cue
    missing_by_rule: dict[str, bool] = field(default_factory=dict)
    sim: float = 0.0
    overlap: float = 0.0
    tuned: np.ndarray | None = None  # the tuned network's reply logits (out of fold for train+val)

    @property
    def ctx(self) -> CaseContext | None:
        if not self.context.strip():
            return None
        return CaseContext(client_message=self.context, concern=extract_concern(self.context))


def family_name(label: str) -> str:
    """A family from its name or the corpus's two-letter code."""
    name = CODES.get(label.strip().upper(), label.strip())
    if name not in FAMILIES:
        raise ValueError(f"unknown family label {label!r}")
    return name


def split_of(group: str) -> str:
    """60/20/20 by a hash of the business: fixed before any training run, never tuned."""
    bucket = int(hashlib.sha256(group.encode()).hexdigest(), 16) % 10
    return "train" if bucket < 6 else "val" if bucket < 8 else "test"


def _labels_of(row: dict[str, Any]) -> frozenset[str]:
    raw = row.get("labels", row.get("families", row.get("expect", [])))
    if isinstance(raw, str):
        raw = raw.split()
    return frozenset(family_name(x) for x in raw)


def load_corpus(corpus: Path) -> list[Example]:
    """Labelled examples whose texts are present (a label without its re-built text is skipped)."""
    texts: dict[str, dict[str, Any]] = {}
    for path in sorted((corpus / "texts").glob("*.jsonl")):
        for _, line in json_lines(path.read_text(encoding="utf-8")):
            row = json.loads(line)
            texts[row["id"]] = row
    out = []
    for _, line in json_lines((corpus / "labels.jsonl").read_text(encoding="utf-8")):
        lab = json.loads(line)
        src = texts.get(lab["id"])
        if src is None:
            continue
        group = str(src.get("group") or lab.get("group") or lab["id"])
        split = str(lab.get("split") or split_of(group))
        context = str(src.get("context") or "")
        out.append(Example(lab["id"], src["text"], context, group, _labels_of(lab), split))
    return out


def featurize(ex: Example) -> None:
    """Sentence embeddings, phrase hits per sentence, presence cues and context features, as at run time."""
    masked = mask_quotes(ex.text)
    sents = judge.sentences(masked)
    ex.emb = judge.embed_texts([s.text for s in sents]) if sents else np.zeros((0, 384), np.float32)
    judged = judge.Judged(sents, ex.emb, np.zeros((len(sents), 0)), np.zeros(0))
    phrase = check_with(None, ex.text, whole_reply=False)
    ex.hits = {f: judged.rule_hits([(x.start, x.end) for x in phrase if x.rule == f]) for f in FAMILIES}
    ex.cues = {
        "missing_acknowledgement": np.array([bool(cues.ACK_CUE.search(s.text)) for s in sents], float),
        "missing_empathy": np.array([completeness.has_empathy(s.text) for s in sents], float),
        "missing_next_step": np.array([completeness.has_next_step(s.text) for s in sents], float),
    }
    ctx = ex.ctx
    if ctx is not None:
        ex.missing_by_rule = completeness.rule_verdicts(ex.text, masked, ctx)
        ex.sim = completeness.client_similarity(judged, ctx)
        ex.overlap = completeness.overlap(ex.text, ctx)


def sentence_texts(ex: Example) -> list[str]:
    """The sentences the run time embeds for this reply (quote-masked, cut as `judge.embed_texts` cuts)."""
    return [s.text[: judge.MAX_SENTENCE_CHARS] for s in judge.sentences(mask_quotes(ex.text))]


def out_of_fold_logits(corpus: Path) -> dict[str, np.ndarray]:
    """Reply id -> the tuned network's out-of-fold logits (empty when the corpus has none)."""
    path = corpus / TUNED_OOF
    if not path.exists():
        return {}
    with np.load(path) as z:
        return {str(i): row for i, row in zip(z["reply_ids"].tolist(), z["logits"], strict=True)}


def attach_tuned(examples: list[Example], corpus: Path) -> None:
    """The tuned network's logits per reply, when it is installed: out of fold for the train+val replies
    it was fitted on (stacking: the reply heads must learn from logits of replies the network did not
    see), the shipped network's for every other reply (test, written, and train+val replies labelled after
    the network was fitted: `coach_tuning` fits it on exactly the ids of `tuned_oof.npz`, so a reply missing
    there is one it never saw, and its logits are as out of sample as the folds')."""
    net = tuned.load()
    if net is None:
        return
    oof = out_of_fold_logits(corpus)
    if not oof and any(ex.split in ("train", "val") for ex in examples):
        raise ValueError(
            "no out-of-fold tuned logits: the replies the network saw are unknown; rerun coach_tuning"
        )
    for ex in examples:
        if ex.split in ("train", "val") and ex.id in oof:
            ex.tuned = oof[ex.id]
        else:
            ex.tuned = net.reply_logits(judge.tuned_vectors(sentence_texts(ex)))


def load_cache(path: Path | None) -> None:
    """Prefill the judge's embedding cache from an earlier run (training reruns in seconds, not minutes)."""
    if path is None or not path.exists():
        return
    with np.load(path) as data:
        for key, row in zip(data["texts"].tolist(), data["emb"], strict=True):
            judge.remember(str(key), row)


def save_cache(path: Path | None) -> None:
    """Keep every embedding computed so far for the next run."""
    if path is not None:
        texts, emb = judge.cached()
        np.savez(path, texts=np.array(texts, dtype=str), emb=emb)


def eval_rows(examples: list[Example]) -> list[str]:
    """The examples as `accord coach eval` rows (JSON lines)."""
    return [
        json.dumps({"id": e.id, "text": e.text, "expect": sorted(e.labels), "context": e.context})
        for e in examples
    ]
