"""Train the haggling judgement (P20) on the sentences in `haggling_sentences.py`; print 5-fold CV.

Run: `.venv/bin/python -m accord_training.haggling` (writes src/accord/offers/artifacts/haggling.json).
Deterministic: fixed folds and the liblinear solver, so the same sentences give the same weights.
"""

from __future__ import annotations

import json

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from accord.offers.judgement import ARTIFACT, tokens
from accord_training.haggling_sentences import HAGGLING, NOT_HAGGLING

VERSION = "haggling-lr-1"
C = 4.0


def _features(texts: list[str], vocab: list[str]) -> np.ndarray:
    index = {f: i for i, f in enumerate(vocab)}
    x = np.zeros((len(texts), len(vocab)))
    for row, text in enumerate(texts):
        for feature, _, _ in tokens(text):
            if feature in index:
                x[row, index[feature]] = 1.0
    return x


def _vocab(texts: list[str]) -> list[str]:
    return sorted({f for t in texts for f, _, _ in tokens(t)})


def fit(texts: list[str], labels: list[int]) -> tuple[float, dict[str, float]]:
    """Binary presence features, L2 logistic regression; returns the bias and the non-zero weights."""
    vocab = _vocab(texts)
    clf = LogisticRegression(C=C, solver="liblinear", random_state=0).fit(_features(texts, vocab), labels)
    weights = {f: round(float(w), 4) for f, w in zip(vocab, clf.coef_[0], strict=True) if abs(w) >= 0.01}
    return round(float(clf.intercept_[0]), 4), weights


def cross_validate(texts: list[str], labels: list[int]) -> float:
    """Accuracy over 5 stratified folds, the vocabulary refit inside each fold."""
    right = 0
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels):
        bias, weights = fit([texts[i] for i in train], [labels[i] for i in train])
        for i in test:
            score = bias + sum(weights.get(f, 0.0) for f in {f for f, _, _ in tokens(texts[i])})
            right += int((score >= 0) == bool(labels[i]))
    return right / len(texts)


def main() -> None:
    """Train on every sentence, write the artifact, print the CV accuracy."""
    texts = list(HAGGLING) + list(NOT_HAGGLING)
    labels = [1] * len(HAGGLING) + [0] * len(NOT_HAGGLING)
    accuracy = cross_validate(texts, labels)
    bias, weights = fit(texts, labels)
    payload = {
        "version": VERSION,
        "bias": bias,
        "weights": weights,
        "cv_accuracy": round(accuracy, 3),
        "sentences": len(texts),
    }
    ARTIFACT.write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"haggling judgement: {len(texts)} sentences, 5-fold CV accuracy {accuracy:.3f}, "
        f"{len(weights)} weights"
    )


if __name__ == "__main__":
    main()
