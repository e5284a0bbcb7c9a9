"""Training, cross-validation and evaluation of the triage heads on the xci-severity data.

`train()` rebuilds the shipped artifacts reproducibly (fixed seed, deterministic solver). `cross_validate()`
runs stratified 10-fold CV: complaint on the customer-service tweets (the random tweets/replies, all
non-complaints, are only ever added to the *training* folds as extra negatives), severity 1-4 on the
complaints, anger-vs-rest on all rows. Vocabularies are refit inside every fold.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from accord.errors import Invalid
from accord.triage import embed
from accord.triage.model import ARTIFACTS, Featurizer, Head, Model, save

SEED = 0
C_VALUES = {"complaint": 2.0, "severity": 2.0, "anger": 2.0}
RANDOM_DOMAINS = ("random_tweet", "random_reply")
REPO_ROOT = Path(__file__).resolve().parents[3]


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


def read_csv(path: Path) -> Data:
    """Read a CSV with columns text, complaint, severity and optionally emotion and domain."""
    if not path.is_file():
        raise Invalid(f"No data file at {path}.")
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or "text" not in rows[0]:
        raise Invalid(f"{path} has no 'text' column.")
    emotion = [(r.get("emotion") or "").strip().lower() for r in rows]
    return Data(
        texts=[r["text"] for r in rows],
        complaint=np.array([int(r.get("complaint") or 0) for r in rows]),
        severity=np.array([int(r.get("severity") or 0) for r in rows]),
        anger=np.array([-1 if not e else int(e == "anger") for e in emotion]),
        service=np.array([r.get("domain", "") not in RANDOM_DOMAINS for r in rows]),
    )


def cache_dir() -> Path:
    """Where embeddings of training texts are cached (ACCORD_TRIAGE_CACHE or ~/.cache/accord/triage)."""
    return Path(os.environ.get("ACCORD_TRIAGE_CACHE") or Path.home() / ".cache" / "accord" / "triage")


def embed_cached(texts: list[str]) -> np.ndarray:
    """MiniLM features of the texts, cached on disk by a hash of the texts (they never change for a file)."""
    salt = f"|{embed.FEATURE_DIM}|{embed.POOL_LAYERS}"
    key = hashlib.sha256(("\x1e".join(texts) + salt).encode()).hexdigest()
    path = cache_dir() / f"emb-{key[:24]}.npy"
    if path.exists():
        return np.load(path)
    emb = embed.embed(texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, emb)
    return emb


def _fit_head(x: Any, y: np.ndarray, c: float) -> Head:
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=SEED)
    clf.fit(x, y)
    return Head(clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32), clf.classes_)


def fit_model(data: Data, variant: str, emb: np.ndarray | None) -> Model:
    """Fit the featurizer and the three heads on all rows of `data`."""
    feats = Featurizer.fit(data.texts)
    x = feats.transform(data.texts, emb if variant == "full" else None)
    sev = data.severity > 0
    known = data.anger >= 0
    heads = {
        "complaint": _fit_head(x, data.complaint, C_VALUES["complaint"]),
        "severity": _fit_head(x[sev], data.severity[sev], C_VALUES["severity"]),
        "anger": _fit_head(x[known], data.anger[known], C_VALUES["anger"]),
    }
    return Model(variant, feats, heads)


def train(data_path: Path | None = None, folder: Path = ARTIFACTS) -> dict[str, str]:
    """Rebuild the shipped artifacts (both variants) from the data."""
    data = read_csv(data_path or default_data_path())
    emb = embed_cached(data.texts)
    models = {"full": fit_model(data, "full", emb), "lite": fit_model(data, "lite", None)}
    save(models, folder)
    return {v: m.version for v, m in models.items()}


def _fold_scores(
    texts: list[str],
    emb: np.ndarray | None,
    y: np.ndarray,
    eval_idx: np.ndarray,
    extra_idx: np.ndarray,
    c: float,
    n_splits: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold predictions for the rows in eval_idx (extra_idx only join the training folds)."""
    pred = np.zeros(len(eval_idx), dtype=int)
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=SEED)
    for tr, te in folds.split(eval_idx, y[eval_idx]):
        train_idx = np.concatenate([eval_idx[tr], extra_idx])
        feats = Featurizer.fit([texts[i] for i in train_idx])
        x_tr = feats.transform([texts[i] for i in train_idx], None if emb is None else emb[train_idx])
        x_te = feats.transform([texts[i] for i in eval_idx[te]], None if emb is None else emb[eval_idx[te]])
        pred[te] = np.argmax(_fit_head(x_tr, y[train_idx], c).proba(x_te), axis=1)
        pred[te] = np.unique(y[train_idx])[pred[te]]
    return y[eval_idx], pred


def _metrics(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    return {
        "macro_f1": round(float(f1_score(y, pred, average="macro")), 4),
        "accuracy": round(float(accuracy_score(y, pred)), 4),
        "n": len(y),
    }


def cross_validate(
    data_path: Path | None = None, *, folds: int = 10, variant: str = "full", limit: int | None = None
) -> dict[str, Any]:
    """Stratified k-fold CV of the three heads; `limit` keeps the first rows (for quick tests)."""
    data = read_csv(data_path or default_data_path())
    n = len(data.texts) if limit is None else min(limit, len(data.texts))
    texts = data.texts[:n]
    emb = embed_cached(texts) if variant == "full" else None
    idx = np.arange(n)
    service, sev, known = data.service[:n], data.severity[:n] > 0, data.anger[:n] >= 0
    out = {
        "complaint": _metrics(
            *_fold_scores(
                texts, emb, data.complaint[:n], idx[service], idx[~service], C_VALUES["complaint"], folds
            )
        ),
        "severity": _metrics(
            *_fold_scores(texts, emb, data.severity[:n], idx[sev], idx[:0], C_VALUES["severity"], folds)
        ),
        "anger": _metrics(
            *_fold_scores(texts, emb, data.anger[:n], idx[known], idx[:0], C_VALUES["anger"], folds)
        ),
    }
    return {"folds": folds, "variant": variant, "seed": SEED, **out}


def evaluate(data_path: Path, model: Model | None = None) -> dict[str, Any]:
    """Score the shipped model on a labelled CSV (severity over rows whose true severity > 0)."""
    from accord.triage.model import get_model

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
