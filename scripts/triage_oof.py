"""Out-of-fold threat scores on the triage corpus' TRAIN split, to judge a new hand-written batch.

Why: a batch is kept only if it helps on rows the heads did not train on, and the test split may not be
read for that (issue 18). This mirrors `corpus_training._cv_probs` for the threats with the settings
shipped since triage-11 (n-gram C 32, the states' network alpha 1 with 3 seeds, blend 0.5, threshold 0.5,
no sentence share): per threat, StratifiedKFold(5, shuffle, seed 0) over the *earlier* train rows (the
first --base rows of threats.jsonl that are not test rows). With --with-new, the train rows after
--base join every fold's training, so the scores stay on the same rows and folds with and without them.
The test split is never read. States are cached like `accord triage train`'s (~/.cache/accord/triage).

With --real, the real training rows join every fold's training: by default the set the shipped heads train
on (`corpus_training.REAL_SOURCES`: the CFPB narratives of data/triage/real), or those named by
--real-sources (`--real-sources real,reviews` adds the customers' complaint reviews of data/triage/reviews),
so the two runs compare a real set's effect on the same corpus rows and folds. A named set
whose texts are missing stops the run (a comparison that silently dropped it would mislead).

    PYTHONPATH=src .venv/bin/python scripts/triage_oof.py --base 2651 [--with-new] [--show]
    PYTHONPATH=src .venv/bin/python scripts/triage_oof.py --base 4160 --real [--real-sources real,reviews]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedKFold

from accord.triage import scope
from accord.triage.model import Corpus
from accord.triage.signals import THREAT_KINDS
from accord_training import corpus_training as ct
from accord_training.features import fit_featurizer
from accord_training.training import CORPUS_LAYERS, cache_dir


@dataclass
class Part:
    """Rows of the train split: their indices in threats.jsonl, texts, states and scope flags."""

    rows: np.ndarray
    texts: list[str]
    x: np.ndarray
    flags: np.ndarray


def _part(rows: ct.Rows, idx: np.ndarray) -> Part:
    texts = [rows.texts[i] for i in idx]
    if not texts:
        return Part(idx, [], np.zeros((0, 0)), np.zeros((0, 0)))
    return Part(idx, texts, ct.cached_pooled(texts, CORPUS_LAYERS, cache_dir()), scope.matrix(texts))


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", type=int, default=2651, help="rows of threats.jsonl before the new batch")
    ap.add_argument("--with-new", action="store_true", help="train rows after --base join every fold")
    ap.add_argument("--show", action="store_true", help="print each miss and false alarm")
    ap.add_argument("--c", type=float, default=32.0)
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--weight", type=float, default=0.5, help="of the n-gram head in the blend")
    ap.add_argument("--at", type=float, default=0.5)
    ap.add_argument("--kinds", default=",".join(THREAT_KINDS))
    ap.add_argument("--fold-seed", type=int, default=ct.SEED, help="another seed: a noise check only")
    ap.add_argument("--save", default="", help="write the out-of-fold scores to this JSON file")
    ap.add_argument("--real", action="store_true", help="the real training rows join every fold")
    ap.add_argument(
        "--real-sources",
        default=",".join(ct.REAL_SOURCES),
        help="which real training sets --real / --score-real read (folders of data/triage, comma-separated)",
    )
    ap.add_argument(
        "--real-weight",
        default="",
        help="sample weight of a real set in training, as name=w,... (others 1): a set of another "
        "register may teach its words without outweighing the corpus",
    )
    ap.add_argument(
        "--score-real",
        choices=("", "with", "without"),
        default="",
        help="score the real training narratives instead, 5 folds over them with the corpus' train rows in "
        "every fold's training; 'without': the other real folds left out of training (the corpus alone)",
    )
    return ap.parse_args()


def oof(
    a: argparse.Namespace,
    base: Part,
    new: Part | None,
    y: np.ndarray,
    yn: np.ndarray,
    base_trains: bool = True,
    wn: np.ndarray | None = None,
    wb: np.ndarray | None = None,
) -> np.ndarray:
    """Out-of-fold blended probabilities on `base`, with `new` (if given) in every fold's training; with
    `base_trains` False only `new` trains (the same folds, so the two runs score the same rows); `wn`, `wb`:
    sample weights of `new` and `base` rows in training (None: 1)."""
    p = np.zeros(len(y))
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=a.fold_seed).split(y, y):
        tr = tr if base_trains else tr[:0]
        tt, xt, ft, yt = [base.texts[i] for i in tr], base.x[tr], base.flags[tr], y[tr]
        wt = wb[tr] if wb is not None else np.ones(len(tr))
        if new is not None:
            wt = np.r_[wt, wn if wn is not None else np.ones(len(new.texts))]
            tt = tt + new.texts
            xt = np.vstack([xt, new.x]) if len(xt) else new.x
            ft = np.vstack([ft, new.flags]) if len(ft) else new.flags
            yt = np.r_[yt, yn]
        corpus = Corpus(fit_featurizer(tt), {})
        weight = ct.uneven(wt)
        head = ct._fit(corpus.transform(tt, ft), yt, a.c, weight)
        ngrams = ct._probs(head, corpus.transform([base.texts[i] for i in te], base.flags[te]))
        net = ct._fit_net(xt, ft, yt, a.alpha, weight)
        p[te] = a.weight * ngrams + (1 - a.weight) * net.proba(base.x[te], base.flags[te])
    return p


def report(
    kind: str, rows: ct.Rows, base: Part, y: np.ndarray, pred: np.ndarray, p: np.ndarray, show: bool
) -> None:
    tp = int((pred & (y == 1)).sum())
    prec, rec = tp / max(int(pred.sum()), 1), tp / max(int(y.sum()), 1)
    f1 = 2 * tp / max(int(pred.sum() + y.sum()), 1)
    misses, alarms = (~pred) & (y == 1), pred & (y == 0)
    print(
        f"{kind}: F1 {f1:.4f} P {prec:.4f} R {rec:.4f} (positives {int(y.sum())}, "
        f"misses {int(misses.sum())}, false alarms {int(alarms.sum())})"
    )
    if not show:
        return
    for label, mask in (("MISS", misses), ("FALSE ALARM", alarms)):
        for i in np.where(mask)[0]:
            flags = "".join(str(rows.labels[k][base.rows[i]]) for k in THREAT_KINDS)
            print(f"  {kind} {label} p={p[i]:.2f} row={base.rows[i]} flags={flags}: {base.texts[i]!r}")


def _join(parts: list[Part | None]) -> Part | None:
    kept = [p for p in parts if p is not None and p.texts]
    if not kept:
        return None
    rows = np.concatenate([p.rows for p in kept])
    return Part(
        rows,
        [t for p in kept for t in p.texts],
        np.vstack([p.x for p in kept]),
        np.vstack([p.flags for p in kept]),
    )


def score_real(a: argparse.Namespace, rows: ct.Rows, real: ct.Rows, weights: np.ndarray) -> None:
    """Out-of-fold on the real narratives: does real text teach the heads about real text?"""
    train = np.where(~rows.test)[0]
    corpus, base = _part(rows, train), _part(real, np.arange(len(real.texts)))
    print(f"real narratives scored: {len(real.texts)}; corpus train rows in training: {len(train)}")
    for kind in a.kinds.split(","):
        y, yc = real.labels[kind], rows.labels[kind][train]
        p = oof(a, base, corpus, y, yc, base_trains=a.score_real == "with", wb=weights)
        report(kind, real, base, y, p >= a.at, p, a.show)


def main() -> None:
    a = _args()
    rows = ct.read_threats()
    real, real_w = _read_real(a) if (a.real or a.score_real) else (None, np.zeros(0))
    if a.score_real and real is not None:
        score_real(a, rows, real, real_w)
        return
    train = np.where(~rows.test)[0]
    base = _part(rows, train[train < a.base])
    new_idx = train[train >= a.base]
    new = _part(rows, new_idx) if a.with_new and len(new_idx) else None
    print(f"train rows: earlier {len(base.rows)}, new {len(new_idx)} ({'in' if new else 'not in'} training)")
    new_idx = new_idx if new is not None else new_idx[:0]  # the labels follow the rows that train
    if real is not None:
        real_part = _part(real, np.arange(len(real.texts)))
        print(f"real narratives in every fold's training: {len(real.texts)}")
        new = _join([new, real_part])
        new_idx = np.r_[new_idx, -1 - np.arange(len(real.texts))]
    wn = np.r_[np.ones(len(new_idx) - len(real_w)), real_w] if len(real_w) else None
    saved: dict[str, list[float]] = {}
    for kind in a.kinds.split(","):
        y, yn = rows.labels[kind][base.rows], _labels(rows, real, kind, new_idx)
        p = oof(a, base, new, y, yn, wn=wn)
        report(kind, rows, base, y, p >= a.at, p, a.show)
        saved[kind] = p.tolist()
    if a.save:
        with open(a.save, "w") as fh:
            json.dump({"rows": base.rows.tolist(), **saved}, fh)


def _read_real(a: argparse.Namespace) -> tuple[ct.Rows, np.ndarray]:
    """The real training sets named by --real-sources, each required (rebuild its texts first), and each
    row's sample weight (--real-weight)."""
    sources = tuple(s for s in a.real_sources.split(",") if s)
    given = _weights_given(a.real_weight)
    sets, weights = [], []
    for name in sources:
        rows = ct.read_real_train(ct.CORPUS_DIR / name)
        if rows is None:
            raise SystemExit(f"No real training rows in data/triage/{name}: rebuild its texts first.")
        sets.append(rows)
        weights.append(np.full(len(rows.texts), given.get(name, 1.0)))
    real = ct.joined(sets)
    print(f"real training rows from {', '.join(sources)}: {len(real.texts)} (weights {given or 'all 1'})")
    return real, np.concatenate(weights)


def _weights_given(text: str) -> dict[str, float]:
    """--real-weight "reviews=0.3,real=1" as {name: weight}; a malformed entry stops with one line."""
    out = {}
    for part in filter(None, text.split(",")):
        name, _, value = part.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise SystemExit(f"--real-weight: {part!r} is not name=weight (e.g. reviews=0.3).") from None
        if out[name.strip()] < 0:
            raise SystemExit(f"--real-weight: {part!r} has a negative weight.")
    return out


def _labels(rows: ct.Rows, real: ct.Rows | None, kind: str, idx: np.ndarray) -> np.ndarray:
    """Labels of corpus rows (idx >= 0) and real narratives (idx -1, -2, ...: the real file's 0, 1, ...)."""
    real_labels = real.labels[kind] if real is not None else np.zeros(0, dtype=int)
    return np.array([rows.labels[kind][i] if i >= 0 else real_labels[-1 - i] for i in idx], dtype=int)


if __name__ == "__main__":
    main()
