"""The coach's tuned layers at run time (issue 19; P14, P16, P17): numpy, no torch.

MiniLM's layers above the one the coach's heads read (layer 3) were fine-tuned on the corpus's reply
labels (`accord_training.coach_tuning`). A reply's sentences go through the base layers 1-3 (whose mean
is the embedding `judge.py` already uses) and on through the tuned layers in the same pass; the reply's
[mean, max] of the tuned sentence vectors gives one logit per family, which each language family's reply
head blends with its own logit at a weight chosen out of fold (`reply_head.blend`). Without
`artifacts/tuned.npz` (or the MiniLM weights) the heads' own logits decide, as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from accord.triage import embed

TUNED_FILE = Path(__file__).parent / "artifacts" / "tuned.npz"


@dataclass(frozen=True, eq=False)  # hashed by identity: the encoder is cached per network
class TunedNet:
    """The tuned layers (above `base`), the heads over [mean, max] of sentence vectors, and their families."""

    base: int
    layers: list[dict[str, np.ndarray]]
    head_w: np.ndarray  # (2 * DIM, families)
    head_b: np.ndarray  # (families,)
    families: tuple[str, ...]
    recipe: str

    @property
    def top(self) -> int:
        """The last layer the encoder runs for the coach."""
        return self.base + len(self.layers)

    def encoder(self) -> embed.Encoder:
        return _encoder(self)

    def reply_logits(self, vectors: np.ndarray) -> np.ndarray:
        """(families,) logits for a reply from its sentences' tuned vectors (zeros pool for none)."""
        if len(vectors) == 0:
            pooled = np.zeros(2 * embed.DIM, np.float32)
        else:
            pooled = np.concatenate([vectors.mean(0), vectors.max(0)])
        return np.asarray(pooled @ self.head_w + self.head_b, dtype=np.float64)


@lru_cache(maxsize=1)
def _encoder(net: TunedNet) -> embed.Encoder:
    return embed.require_encoder().with_layers(net.base, net.layers)


@lru_cache(maxsize=1)
def load(path: Path = TUNED_FILE) -> TunedNet | None:
    """The shipped tuned network, or None when it (or the MiniLM weights) is not installed."""
    if not (path.exists() and embed.available()):
        return None
    with np.load(path) as z:
        meta = json.loads(str(z["meta"]))
        layers = [
            {key: z[f"L{i}.{key}"].astype(np.float32) for key in embed.LAYER_KEYS}
            for i in range(meta["layers"])
        ]
        return TunedNet(
            base=int(meta["base"]),
            layers=layers,
            head_w=z["head_w"].astype(np.float32),
            head_b=z["head_b"].astype(np.float32),
            families=tuple(meta["families"]),
            recipe=str(meta["recipe"]),
        )
