"""How the threat heads read a long email, judged on the corpus' TRAIN split (synthetic long emails).

Why: the hand-written corpus is short (no row over 105 tokens), so its own scores say nothing about a threat
buried in a long email, and the test split may not be read to choose (issue 18). Per fold of
StratifiedKFold(5) over the train rows, each held-out row is placed at a random position among three held-out
rows that carry no threat at all, joined by a space (one paragraph, the hardest case), and the fold's heads
(n-gram head 0.5 + network 0.5, the CFPB rows in training, as `triage_oof.py` fits them) score the long email:
  chunks     the highest ~300-character chunk (`engine.chunks`, how the app read long mail before)
  sentences  the highest single sentence
  mix        LONG_SENTENCE_SHARE of the sentence with the rest of the chunk (what the app does now)
F1, precision and recall at 0.5 per threat; the rows read alone are printed for reference. `--grid` also
prints the mix's F1 at thresholds 0.30-0.80: with `triage_long_dev.py` it chose `model.LONG_THRESHOLD`.

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python scripts/triage_long_oof.py --fold-seed 0
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
from sklearn.model_selection import StratifiedKFold

from accord.triage import scope, signals
from accord.triage.engine import chunks
from accord.triage.model import LONG_SENTENCE_SHARE, Corpus
from accord_training import corpus_training as ct
from accord_training.features import fit_featurizer
from accord_training.training import CORPUS_LAYERS, cache_dir

Scorer = Callable[[list[str]], dict[str, float]]


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fold-seed", type=int, default=ct.SEED)
    ap.add_argument("--fillers", type=int, default=3, help="threat-free rows around each target row")
    ap.add_argument("--grid", action="store_true", help="also print the mix's F1 at thresholds 0.30-0.80")
    return ap.parse_args()


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in signals.sentences(text)] or [text]


def fold_scorer(texts: list[str], x: np.ndarray, flags: np.ndarray, y: np.ndarray) -> Scorer:
    """Heads fitted on these rows; the scorer maps texts to their blended threat probability (each once)."""
    corpus = Corpus(fit_featurizer(texts), {})
    head = ct._fit(corpus.transform(texts, flags), y, 32.0)
    net = ct._fit_net(x, flags, y, 1.0)

    def score(units: list[str]) -> dict[str, float]:
        uniq = sorted(set(units))
        px, pf = ct.cached_pooled(uniq, CORPUS_LAYERS, cache_dir()), scope.matrix(uniq)
        p = 0.5 * ct._probs(head, corpus.transform(uniq, pf)) + 0.5 * net.proba(px, pf)
        return dict(zip(uniq, p, strict=True))

    return score


def long_emails(
    texts: list[str], held: np.ndarray, clean: np.ndarray, k: int, rng: np.random.Generator
) -> list[str]:
    """One long email per held-out row: the row among k threat-free held-out rows, at a random place."""
    pool = [i for i in held if clean[i]]
    out = []
    for i in held:
        parts = [texts[j] for j in rng.choice([f for f in pool if f != i], k, replace=False)]
        parts.insert(int(rng.integers(0, k + 1)), texts[i])
        out.append(" ".join(parts))
    return out


def readings(score: Scorer, alone: list[str], emails: list[str]) -> dict[str, np.ndarray]:
    """Each way of reading, one probability per email (and per row alone)."""
    units = {"chunks": [chunks(t) for t in emails], "sentences": [sentences(t) for t in emails]}
    p = score(list(alone) + [u for us in units.values() for u2 in us for u in u2])
    best = {name: np.array([max(p[u] for u in us) for us in groups]) for name, groups in units.items()}
    best["mix"] = (1 - LONG_SENTENCE_SHARE) * best["chunks"] + LONG_SENTENCE_SHARE * best["sentences"]
    return {"alone": np.array([p[t] for t in alone]), **best}


def main() -> None:
    a = _args()
    rows, real = ct.read_threats(), ct.read_real_trains()
    train = np.where(~rows.test)[0]
    texts = [rows.texts[i] for i in train]
    x, flags = ct.cached_pooled(texts, CORPUS_LAYERS, cache_dir()), scope.matrix(texts)
    rx = ct.cached_pooled(real.texts, CORPUS_LAYERS, cache_dir()) if real else np.zeros((0, x.shape[1]))
    rf = scope.matrix(real.texts) if real else np.zeros((0, flags.shape[1]))
    clean = np.array([all(rows.labels[k][i] == 0 for k in signals.THREAT_KINDS) for i in train])
    rng = np.random.default_rng(a.fold_seed)
    for kind in signals.THREAT_KINDS:
        y, yr = rows.labels[kind][train], (real.labels[kind] if real else np.zeros(0, dtype=int))
        found: dict[str, list[np.ndarray]] = {}
        truth = []
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=a.fold_seed).split(y, y):
            tt = [texts[i] for i in tr] + (real.texts if real else [])
            score = fold_scorer(tt, np.vstack([x[tr], rx]), np.vstack([flags[tr], rf]), np.r_[y[tr], yr])
            emails = long_emails(texts, te, clean, a.fillers, rng)
            for name, p in readings(score, [texts[i] for i in te], emails).items():
                found.setdefault(name, []).append(p)
            truth.append(y[te] == 1)
        _report(kind, found, np.concatenate(truth), a.fold_seed)
        if a.grid:
            _grid(kind, np.concatenate(found["mix"]), np.concatenate(truth), a.fold_seed)


def _report(kind: str, found: dict[str, list[np.ndarray]], truth: np.ndarray, seed: int) -> None:
    for name, parts in found.items():
        pred = np.concatenate(parts) >= 0.5
        tp = int((pred & truth).sum())
        print(
            f"seed {seed} {kind:6s} {name:9s} F1 {2 * tp / (pred.sum() + truth.sum()):.4f} "
            f"P {tp / max(int(pred.sum()), 1):.4f} R {tp / truth.sum():.4f} "
            f"(false alarms {int((pred & ~truth).sum())}, misses {int((~pred & truth).sum())})"
        )


def _grid(kind: str, mix: np.ndarray, truth: np.ndarray, seed: int) -> None:
    """The mix's F1 at each threshold (one line per threat), to choose a long message's threshold."""
    cells = []
    for at in GRID:
        pred = mix >= at
        cells.append(f"{at:.3f}:{2 * int((pred & truth).sum()) / (pred.sum() + truth.sum()):.4f}")
    print(f"seed {seed} {kind:6s} mix grid " + " ".join(cells))


GRID = np.round(np.arange(0.30, 0.8001, 0.025), 3)


if __name__ == "__main__":
    main()
