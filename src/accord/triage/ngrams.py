"""TF-IDF n-gram features at run time, without scikit-learn.

Why: importing scikit-learn drags in scipy.stats and costs about a second at every start of `accord
triage`, the web app and the workers, yet run time needs only two of its analyzers and a sparse product.
Training still fits scikit-learn's TfidfVectorizer (`Vectorizer.from_fitted`); this module reproduces its
analyzers (lowercase; words of two or more word characters, joined into n-grams by a space; `char_wb`
n-grams inside space-padded words) and its transform (sublinear tf, idf, l2 norm), and
tests/triage/test_features.py holds the two to equal results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix

WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """Word n-grams from low to high words, in scikit-learn's order (all unigrams first)."""
    tokens = WORD_TOKEN.findall(text.lower())
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside each word padded by one space; a word shorter than n counts once."""
    grams: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(low, high + 1):
            grams += [padded[i : i + n] for i in range(max(len(padded) - n + 1, 1))]
            if len(padded) <= n:
                break
    return grams


ANALYZERS = {"word": word_ngrams, "char_wb": char_wb_ngrams}


@dataclass
class Vectorizer:
    """A fitted TF-IDF vocabulary: the analyzer, its n-gram range, the column of each n-gram, the idf."""

    analyzer: str
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: np.ndarray

    def __post_init__(self) -> None:
        if self.analyzer not in ANALYZERS:
            raise ValueError(f"unknown analyzer {self.analyzer!r}")
        self.idf = np.asarray(self.idf, dtype=np.float64)

    @classmethod
    def from_fitted(cls, vec: Any) -> Vectorizer:
        """Take over what a fitted scikit-learn TfidfVectorizer learnt; refuse settings not reproduced."""
        reproduced = (
            vec.lowercase
            and vec.token_pattern == WORD_TOKEN.pattern
            and vec.sublinear_tf
            and vec.norm == "l2"
            and vec.use_idf
            and (vec.strip_accents, vec.stop_words, vec.preprocessor, vec.tokenizer) == (None,) * 4
        )
        if not reproduced:
            raise ValueError("ngrams.Vectorizer reproduces only the shipped TF-IDF settings")
        vocab = {k: int(v) for k, v in vec.vocabulary_.items()}
        return cls(vec.analyzer, tuple(vec.ngram_range), vocab, vec.idf_)

    def analyze(self, text: str) -> list[str]:
        low, high = self.ngram_range
        return ANALYZERS[self.analyzer](text, low, high)

    def transform(self, texts: list[str]) -> csr_matrix:
        """Rows of sublinear tf x idf, l2-normalised, over the vocabulary's columns."""
        indptr, indices, values = [0], [], []
        for text in texts:
            counts: dict[int, int] = {}
            for gram in self.analyze(text):
                col = self.vocabulary.get(gram)
                if col is not None:
                    counts[col] = counts.get(col, 0) + 1
            cols = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
            vals = (1.0 + np.log([counts[c] for c in cols])) * self.idf[cols] if len(cols) else np.zeros(0)
            norm = float(np.sqrt((vals**2).sum()))
            indices.append(cols)
            values.append(vals / norm if norm > 0 else vals)
            indptr.append(indptr[-1] + len(cols))
        data = np.concatenate(values or [np.zeros(0)])
        columns = np.concatenate(indices or [np.zeros(0, np.int64)])
        return csr_matrix((data, columns, indptr), shape=(len(texts), len(self.idf)))
