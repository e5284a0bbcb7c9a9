"""Fine-tuning the top MiniLM layers (issue 3; an experiment since triage-7 ships frozen heads): the numpy
path computes exactly the network torch trained, and a short fine-tune learns something real (P4, P5)."""

from __future__ import annotations

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


def test_the_ordinal_task_punishes_a_far_miss_more_than_a_near_one() -> None:
    """Calling a level-4 complaint level 1 must cost more than calling it level 3 (severity is ordered)."""
    says = {1: [-4.0, -4.0, -4.0], 3: [4.0, 4.0, -4.0], 4: [4.0, 4.0, 4.0]}  # logits of >=2, >=3, >=4
    weight = torch.ones(4)

    def cost(level: int) -> float:
        logits = torch.tensor([says[level]])
        return float(tuning._ordinal_loss(torch, logits, torch.tensor([4]), weight))

    assert cost(4) < cost(3) < cost(1)
