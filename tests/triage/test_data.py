"""The shipped model on the real data (skipped when the data set is not next to the repo)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from accord_training import training
from accord_training.training import cross_validate, default_data_path, evaluate

DATA = default_data_path()
pytestmark = pytest.mark.skipif(not DATA.exists(), reason=f"training data not found at {DATA}")


def test_shipped_model_scores_well_on_a_slice_of_its_data(tmp_path: Path) -> None:
    with DATA.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    service = [r for r in rows if not r["domain"].startswith("random")][::8][:200]
    path = tmp_path / "slice.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(service)
    out = evaluate(path)
    assert out["n"] == len(service)
    assert out["complaint_macro_f1"] > 0.8  # training data: a smoke check of the artifacts, not a benchmark


def test_cross_validation_runs_on_a_subset_and_beats_chance() -> None:
    out = cross_validate(DATA, folds=2, variant="lite", limit=1200)
    assert out["complaint"]["macro_f1"] > 0.6
    assert set(out) >= {"complaint", "severity", "anger"}


def test_random_tweets_teach_emotions_but_not_what_a_complaint_to_a_business_is() -> None:
    """P4: a random tweet's complaint label says nothing about messages sent to a business, so flipping
    those labels must not move the complaint head, while its anger label still counts."""
    data = training.read_csv(DATA)
    data = training._subset(data, np.arange(0, len(data.texts), 4))
    rows = np.arange(len(data.texts))
    flipped = training._subset(data, rows)
    flipped.complaint = np.where(data.service, data.complaint, 1 - data.complaint)
    texts = ["You charged us twice and nobody answers.", "Happy birthday to my sister!"]
    assert np.allclose(
        training.fit_lite(data, rows).predict(texts)["complaint"],
        training.fit_lite(flipped, rows).predict(texts)["complaint"],
    )
    labels = training._labels(flipped)
    assert (labels.complaint[~data.service] == -1).all() and (labels.anger == data.anger).all()


def test_leave_one_domain_out_scores_every_domain_and_their_mean() -> None:
    """Issue 18: transfer to a business the training never saw is measured per held-out domain."""
    out = cross_validate(DATA, variant="lite", by_domain=True, limit=1500)
    domains = out["domains"]
    assert len(domains) == 9 and "random_tweet" not in domains and out["folds"] == 9
    mean = sum(d["complaint"]["macro_f1"] for d in domains.values()) / len(domains)
    assert out["complaint"]["macro_f1"] == pytest.approx(mean, abs=1e-4)
    assert out["complaint"]["macro_f1"] > 0.6 and out["severity"]["macro_f1"] > 0.25
