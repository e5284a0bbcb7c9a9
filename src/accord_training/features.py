"""Fitting the TF-IDF featurizer with scikit-learn (training only); `ngrams.Vectorizer` runs it without."""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer

from accord.triage.model import CHAR_PARAMS, WORD_PARAMS, Featurizer
from accord.triage.ngrams import Vectorizer


def fit_featurizer(texts: list[str]) -> Featurizer:
    """Fit the TF-IDF analyzers with scikit-learn; `ngrams.Vectorizer` runs them without it."""
    word, char = (TfidfVectorizer(**params).fit(texts) for params in (WORD_PARAMS, CHAR_PARAMS))
    return Featurizer(Vectorizer.from_fitted(word), Vectorizer.from_fitted(char))
