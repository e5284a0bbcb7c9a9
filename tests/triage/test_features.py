"""The fast TF-IDF path computes exactly what scikit-learn computes (it replaces it for speed, issue 3)."""

from __future__ import annotations

import numpy as np

from accord.triage import model

TEXTS = [
    "You billed us twice AGAIN!!! Refund it by Friday or we cancel.",
    "Thanks, the new site looks great :)",
    "",
    "Ünïcödé café 😀 déjà vu",
    "word " * 50,
]


def test_fast_tfidf_equals_scikit_learn_on_the_shipped_vocabularies() -> None:
    features = model.load_lite().features
    for vec in (features.word, features.char):
        ours = model.tfidf(vec, TEXTS).toarray()
        assert np.abs(ours - vec.transform(TEXTS).toarray()).max() < 1e-9
        assert ours[0].any() and not ours[2].any()  # real n-grams found; the empty text has none
