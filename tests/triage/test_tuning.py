"""Fine-tuning the top MiniLM layers (issue 3): the numpy run-time path computes exactly the network torch
trained, the shipped artifacts round-trip, and a short fine-tune learns something real (P4, P5)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score

from accord.triage import embed, model
from accord_training import training, tuning

torch = pytest.importorskip("torch", reason="training needs the torch extra")
DATA = training.default_data_path()
pytestmark = [
    pytest.mark.skipif(not embed.available(), reason="MiniLM weights not installed"),
    pytest.mark.skipif(not DATA.exists(), reason=f"training data not found at {DATA}"),
]


@pytest.fixture(scope="module")
def sample() -> tuple[training.Data, list[np.ndarray]]:
    """Every 6th row of the real data with its frozen hidden states (no cache: computed here)."""
    data = training.read_csv(DATA)
    rows = np.arange(0, len(data.texts), 6)
    small = training._subset(data, rows)
    return small, tuning.frozen_hidden(small.texts, None)


@pytest.fixture(scope="module")
def tuned(sample: tuple[training.Data, list[np.ndarray]]) -> tuning.Tuned:
    data, hidden = sample
    labels = training._labels(data)  # random tweets carry complaint -1: the loss must skip them
    return tuning.fit(hidden, labels, np.arange(0, 460), epochs=3)


def test_numpy_inference_matches_the_torch_network(
    sample: tuple[training.Data, list[np.ndarray]], tuned: tuning.Tuned
) -> None:
    _, hidden = sample
    rows = np.arange(460, 520)
    ours, reference = tuning.predict_logits(tuned, hidden, rows), tuning.torch_logits(tuned, hidden, rows)
    assert np.abs(ours - reference).max() < 1e-3


def test_a_short_fine_tune_detects_complaints_on_held_out_tweets(
    sample: tuple[training.Data, list[np.ndarray]], tuned: tuning.Tuned
) -> None:
    data, hidden = sample
    rows = np.arange(460, len(data.texts))
    rows = rows[data.service[rows]]
    probs = model.tuned_probs(tuning.predict_logits(tuned, hidden, rows))
    assert f1_score(data.complaint[rows], probs["complaint"] >= 0.5, average="macro") > 0.7


def test_a_soup_of_two_seeds_is_one_network_that_still_detects_complaints(
    sample: tuple[training.Data, list[np.ndarray]], tuned: tuning.Tuned
) -> None:
    data, hidden = sample
    labels = training._labels(data)  # random tweets carry complaint -1: the loss must skip them
    other = tuning.fit(hidden, labels, np.arange(0, 460), seed=1)
    souped = tuning.soup([tuned, other])
    assert len(souped.top) == tuning.TOP and souped.head_w.shape == tuned.head_w.shape
    assert not np.allclose(souped.head_w, tuned.head_w)  # the seeds really differ
    rows = np.arange(460, len(data.texts))
    rows = rows[data.service[rows]]
    probs = model.tuned_probs(tuning.predict_logits(souped, hidden, rows))
    assert f1_score(data.complaint[rows], probs["complaint"] >= 0.5, average="macro") > 0.7


def test_saved_artifacts_load_back_and_predict_the_same(
    sample: tuple[training.Data, list[np.ndarray]], tuned: tuning.Tuned, tmp_path: Path
) -> None:
    data, _ = sample
    lite = training.fit_lite(data, np.arange(len(data.texts)))
    model.save(lite, tuned, 0.3, tmp_path)
    loaded = model.load("full", tmp_path)
    assert loaded.version.endswith("+minilm-tuned") and loaded.blend == pytest.approx(0.3)
    texts = ["You billed us twice and nobody answers. Refund it or we cancel.", "Thanks, all good!"]
    direct = model.blend(
        model.tuned_probs(tuned.logits(embed.require_encoder().with_top(tuned.top).pooled(texts))),
        lite.predict(texts),
        0.3,
    )
    got = loaded.predict(texts)
    assert np.allclose(got["complaint"], direct["complaint"], atol=2e-3)  # float16 layers on disk
    assert got["complaint"][0] > got["complaint"][1]


def test_cross_validation_of_the_full_recipe_reports_its_parts(tmp_path: Path) -> None:
    saved = tmp_path / "oof.npz"
    out = training.cross_validate(DATA, folds=2, limit=240, epochs=1, seeds=(0,), save_probs=saved)
    data = training.read_csv(DATA)
    rows = np.linspace(0, len(data.texts) - 1, 240).astype(int)
    assert set(out["parts"]) == {"lite", "tuned"} and out["blend"] == training.BLEND
    assert out["complaint"]["n"] == int(data.service[rows].sum())  # scored on customer-service tweets only
    assert out["severity"]["n"] == int((data.severity[rows] > 0).sum())  # severity only on complaints
    with np.load(saved) as probs:  # the saved out-of-fold probabilities give back the reported parts
        assert probs["tuned.severity"].shape == (240, 4)
        pred = probs["lite.complaint"] >= 0.5
        svc = data.service[rows]
        f1 = f1_score(data.complaint[rows][svc], pred[svc], average="macro")
        assert round(float(f1), 4) == out["parts"]["lite"]["complaint"]["macro_f1"]


def test_the_ordinal_task_punishes_a_far_miss_more_than_a_near_one() -> None:
    """Calling a level-4 complaint level 1 must cost more than calling it level 3 (severity is ordered)."""
    says = {1: [-4.0, -4.0, -4.0], 3: [4.0, 4.0, -4.0], 4: [4.0, 4.0, 4.0]}  # logits of >=2, >=3, >=4
    weight = torch.ones(4)

    def cost(level: int) -> float:
        logits = torch.tensor([says[level]])
        return float(tuning._ordinal_loss(torch, logits, torch.tensor([4]), weight))

    assert cost(4) < cost(3) < cost(1)
