"""The run-time TF-IDF (`triage/ngrams.py`) computes exactly what scikit-learn computes: it replaces it so
that starting Accord does not pay for importing scikit-learn (issue 3)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from accord.triage import model, ngrams

TEXTS = [
    "You billed us twice AGAIN!!! Refund it by Friday or we cancel.",
    "Thanks, the new site looks great :)",
    "",
    "Ünïcödé café 😀 déjà vu",
    "word " * 50,
    "a I x\tno\n\nline-breaks,  tabs\u00a0and   spaces; ok? e-mail me @ACME_support #fail $450.00 3rd",
    "ÉCOLE İstanbul ß straße",
]


def scikit_learn(name: str) -> TfidfVectorizer:
    """scikit-learn's vectorizer with the shipped vocabulary and idf: the reference."""
    features = model.load_lite().features
    ours = getattr(features, name)
    params = model.WORD_PARAMS if name == "word" else model.CHAR_PARAMS
    vec = TfidfVectorizer(**{**params, "min_df": 1}, vocabulary=ours.vocabulary)
    vec.idf_ = ours.idf
    return vec


def test_the_run_time_n_grams_are_scikit_learns() -> None:
    features = model.load_lite().features
    for name in ("word", "char"):
        reference = scikit_learn(name).build_analyzer()
        for text in TEXTS:
            assert getattr(features, name).analyze(text) == reference(text), (name, text)


def test_the_run_time_tfidf_equals_scikit_learn_on_the_shipped_vocabularies() -> None:
    features = model.load_lite().features
    for name in ("word", "char"):
        ours = getattr(features, name).transform(TEXTS).toarray()
        assert np.abs(ours - scikit_learn(name).transform(TEXTS).toarray()).max() < 1e-9
        assert ours[0].any() and not ours[2].any()  # real n-grams found; the empty text has none


def test_triaging_a_message_does_not_import_scikit_learn() -> None:
    """scikit-learn costs about a second at every start of the CLI, the web app and the workers."""
    code = "import sys\nfrom accord.triage import engine\nengine.triage('Refund it.')\n"
    code += "print(list(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "'sklearn'" not in loaded and "'accord.triage.ngrams'" in loaded


def test_a_vectorizer_fitted_with_settings_not_reproduced_is_refused() -> None:
    """Changing WORD_PARAMS/CHAR_PARAMS to, say, keep capitals must fail training, not skew run time."""
    texts = ["Refund us now", "Thanks a lot"]
    assert "refund" in ngrams.Vectorizer.from_fitted(TfidfVectorizer(sublinear_tf=True).fit(texts)).vocabulary
    with pytest.raises(ValueError, match="reproduces only"):
        ngrams.Vectorizer.from_fitted(TfidfVectorizer(sublinear_tf=True, lowercase=False).fit(texts))
