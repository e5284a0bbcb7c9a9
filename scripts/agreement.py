"""How far two annotators agree on our labelled corpora: a ceiling for what a model can be measured at.

Why: every label of the reply coach's corpus (`data/coach/labels.jsonl`) and of the threat corpus
(`data/triage/threats.jsonl`) came from one annotator, and issues 18 and 19 ask the models for precision and
recall of 0.75-0.92 against those labels. If a second careful annotator, reading the same rules, agrees less
than that, part of the gap to a target is the labels' own noise, not the model's. A stratified sample of each
corpus' TRAIN split (never a test split) was labelled blind by a second annotator (`data/coach/agreement/`,
`data/triage/agreement/`, READMEs there). Per label this prints the second annotator's recall and precision
against the first (the corpus labels) with bootstrap standard errors, and Cohen's kappa, weighted by the
sampling weights so they estimate the whole train split (stratum: the rarest label the corpus gives the row,
or none).

    PYTHONPATH=src .venv/bin/python scripts/agreement.py coach     # seven families (ids and labels: no texts)
    PYTHONPATH=src .venv/bin/python scripts/agreement.py threats   # legal, churn, review
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from pathlib import Path
from typing import Any

from accord.coach.judge import LANGUAGE
from accord.triage.signals import THREAT_KINDS

DATA = Path(__file__).resolve().parent.parent / "data"
# the corpus labels the six language families and missing_next_step (the other completeness checks need a
# draft's context, which a public reply does not carry)
FAMILIES = (*LANGUAGE, "missing_next_step")
THREATS = THREAT_KINDS
Row = tuple[set[str], set[str], float]  # the corpus' labels, the second annotator's, the sampling weight
BOOTSTRAP = 1000  # resamples (within each stratum) for the standard errors


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _weight(sample: dict[str, Any], stratum: str) -> float:
    return float(sample["strata"][stratum]["size"] / sample["strata"][stratum]["n"])


def load_coach() -> tuple[list[Row], dict[str, Any]]:
    """Each sampled reply's corpus families, the second annotator's and its weight (ids only)."""
    folder = DATA / "coach" / "agreement"
    sample = json.loads((folder / "sample.json").read_text(encoding="utf-8"))
    first = {r["id"]: set(r["labels"]) for r in _jsonl(DATA / "coach" / "labels.jsonl")}
    rows = [
        (first[r["id"]], set(r["labels"]), _weight(sample, sample["rows"][r["id"]]))
        for r in _jsonl(folder / "labels_b.jsonl")
    ]
    return rows, sample


def load_threats() -> tuple[list[Row], dict[str, Any]]:
    """Each sampled message's corpus threats, the second annotator's and its weight (joined by text)."""
    folder = DATA / "triage" / "agreement"
    sample = json.loads((folder / "sample.json").read_text(encoding="utf-8"))
    first = {r["text"]: {k for k in THREATS if int(r[k])} for r in _jsonl(DATA / "triage" / "threats.jsonl")}
    rows = []
    for r in _jsonl(folder / "labels_b.jsonl"):
        row = sample["rows"][r["id"]]
        second = {k for k in THREATS if int(r[k])}
        rows.append((first[row["text"]], second, _weight(sample, row["stratum"])))
    return rows, sample


def agreement(rows: list[Row], label: str) -> dict[str, float]:
    """Weighted recall and precision of the second annotator against the first, and Cohen's kappa."""
    both = sum(w for a, b, w in rows if label in a and label in b)
    first = sum(w for a, _, w in rows if label in a)
    second = sum(w for _, b, w in rows if label in b)
    total = sum(w for _, _, w in rows)
    agree = sum(w for a, b, w in rows if (label in a) == (label in b)) / total
    chance = (first * second + (total - first) * (total - second)) / total**2
    return {
        "recall": both / first if first else float("nan"),
        "precision": both / second if second else float("nan"),
        "kappa": (agree - chance) / (1 - chance) if chance < 1 else float("nan"),
        "first_positives": sum(1 for a, _, _ in rows if label in a),
        "second_positives": sum(1 for _, b, _ in rows if label in b),
    }


def standard_errors(rows: list[Row], label: str) -> dict[str, float]:
    """Bootstrap standard errors of recall and precision, resampling rows within each stratum (the rows of
    one stratum share a weight)."""
    strata: dict[float, list[Row]] = {}
    for row in rows:
        strata.setdefault(row[2], []).append(row)
    rng = random.Random(0)
    draws: dict[str, list[float]] = {"recall": [], "precision": []}
    for _ in range(BOOTSTRAP):
        resample = [rng.choice(group) for group in strata.values() for _ in group]
        m = agreement(resample, label)
        for key, found in draws.items():
            if m[key] == m[key]:  # not nan
                found.append(m[key])
    return {key: statistics.pstdev(found) if found else float("nan") for key, found in draws.items()}


def clean_alarms(rows: list[Row]) -> float:
    """Share (weighted) of the rows the first annotator left clean that the second labelled anything."""
    clean = [(b, w) for a, b, w in rows if not a]
    return sum(w for b, w in clean if b) / sum(w for _, w in clean)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", choices=("coach", "threats"))
    corpus = ap.parse_args().corpus
    rows, sample = load_coach() if corpus == "coach" else load_threats()
    labels = FAMILIES if corpus == "coach" else THREATS
    print(f"{len(rows)} {corpus} train rows, labelled blind by a second annotator ({sample['who']})")
    print(f"{'label':18s} {'recall':>12s} {'precision':>12s} {'kappa':>6s}  sampled positives first / second")
    for label in labels:
        m, se = agreement(rows, label), standard_errors(rows, label)
        print(
            f"{label:18s} {m['recall']:5.2f} +- {se['recall']:.2f} "
            f"{m['precision']:5.2f} +- {se['precision']:.2f} {m['kappa']:6.2f}  "
            f"{m['first_positives']:3d} / {m['second_positives']:3d}"
        )
    print(f"rows the corpus leaves clean that the second annotator labels: {clean_alarms(rows):.2f}")


if __name__ == "__main__":
    main()
