"""Fine-tuning MiniLM for triage, with torch (training only; never needed at run time).

All six transformer layers are tuned (TOP); the token embeddings stay frozen, so their output is computed
once (numpy, `embed.Encoder`) and cached, and the ten folds of `accord triage cv` take about an hour on
two CPU cores. Tuning all six layers instead of the top three lifted severity macro-F1 in cross-validation
(shipped blend 0.490 to 0.499, complaint 0.853 to 0.856; triage-4 to triage-5), for twice the artifact size
(about 20 MB in float16); the network is the same, so run time does not change. The layers and one linear
layer of heads (complaint 2, severity 4, anger 2 logits, trained together, as Jin & Aletras found severity
helps complaint detection; plus emotion 4 and sentiment 3 logits as auxiliary tasks, which lifted severity
macro-F1 in cross-validation, and 3 ordinal logits, severity >= 2, >= 3, >= 4: shipped blend 0.499 to 0.503,
triage-5 to triage-6, a gain within seed noise) are exported as plain arrays that `model.py` runs in numpy.
Three runs that differ only by seed are averaged into one network (`fit_soup`): seeds alone move severity
macro-F1 by about two points.

torch is an optional extra (`pip install 'accord[torch]'`); `require_torch()` says so when it is missing.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import Invalid
from accord.triage import embed
from accord.triage.model import Tuned
from accord_training.torch_layer import bert_layer, layer_arrays

TOP = 6  # layers tuned (of embed.LAYERS): all of them; the embeddings stay frozen
EPOCHS = 3
BATCH = 32
LAYER_LR = 1.5e-4
HEAD_LR = 1e-3
DROPOUT = 0.1
ANGER_WEIGHT = 0.5  # anger is an auxiliary task; complaint and severity lead
AUX_WEIGHT = 0.5  # emotion and sentiment: auxiliary tasks only (Jin & Aletras: emotion helps severity)
ORDINAL_WEIGHT = 0.5  # severity >= 2, >= 3, >= 4 as three yes/no tasks: training only (see _ordinal_loss)
EMOTIONS = ("other", "anger", "sadness", "joy")  # the rare ones (surprise, fear, disgust) count as other
SENTIMENTS = ("negative", "neutral", "positive")
LOGITS = {
    "complaint": slice(0, 2),
    "severity": slice(2, 6),
    "anger": slice(6, 8),
    "emotion": slice(8, 12),
    "sentiment": slice(12, 15),
    "ordinal": slice(15, 18),
}
N_LOGITS = max(part.stop for part in LOGITS.values())
HEAD_INIT_SEED = 12345


def require_torch() -> Any:
    """The torch module, or a clear error saying how to install it."""
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise Invalid("Training needs torch: pip install 'accord[torch]' (or torch==2.13.0).") from exc
    return torch


@dataclass
class Labels:
    """Training targets; -1 marks an unknown label, and severity 0 rows do not count for the severity head."""

    complaint: np.ndarray  # -1 for rows that must not teach the complaint head (random tweets)
    severity: np.ndarray
    anger: np.ndarray
    emotion: np.ndarray | None = None  # index into EMOTIONS
    sentiment: np.ndarray | None = None  # index into SENTIMENTS


def frozen_hidden(texts: list[str], cache: Path | None) -> list[np.ndarray]:
    """Per text, the (tokens, DIM) hidden states below the tuned layers, float16, cached by content."""
    key = hashlib.sha256(("\x1e".join(texts) + f"|below{embed.LAYERS - TOP}|v2").encode()).hexdigest()
    path = cache / f"hidden-{key[:24]}.npz" if cache else None
    if path and path.exists():
        with np.load(path) as npz:
            return np.split(npz["flat"], np.cumsum(npz["lens"])[:-1])
    enc = embed.require_encoder()
    out: list[np.ndarray] = [np.zeros((0, embed.DIM), np.float16)] * len(texts)
    for idx, batch_ids in enc.batches(enc.token_ids(texts), 64):
        h, batch = enc.embed_tokens(batch_ids)
        h = enc.run_layers(h, batch, 0, embed.LAYERS - TOP).reshape(batch.n, batch.length, embed.DIM)
        for row, i in enumerate(idx):
            out[i] = h[row, : len(batch_ids[row])].astype(np.float16)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, flat=np.concatenate(out), lens=np.array([len(x) for x in out]))
    return out


def _net(torch: Any, start: Tuned | None = None) -> Any:
    """The torch module: TOP BERT layers (from `start`, else the base weights), mean pooling, linear heads."""
    nn, fn = torch.nn, torch.nn.functional

    class Net(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            base = start.top if start else embed.require_encoder().layers[embed.LAYERS - TOP :]
            self.layers = nn.ModuleList([bert_layer(torch, w, embed.HEADS, DROPOUT) for w in base])
            self.heads = nn.Linear(embed.DIM, start.head_w.shape[1] if start else N_LOGITS)
            if start:
                with torch.no_grad():
                    self.heads.weight.copy_(torch.tensor(start.head_w.T))
                    self.heads.bias.copy_(torch.tensor(start.head_b))

        def forward(self, h: Any, mask: Any) -> Any:
            bias = ((1 - mask) * -1e9)[:, None, None, :]
            for layer in self.layers:
                h = layer(h, bias)
            pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            return self.heads(fn.dropout(pooled, DROPOUT, self.training))

    return Net()


def _padded(torch: Any, hidden: list[np.ndarray], rows: list[int]) -> tuple[Any, Any]:
    length = max(len(hidden[i]) for i in rows)
    h = np.zeros((len(rows), length, embed.DIM), np.float32)
    mask = np.zeros((len(rows), length), np.float32)
    for j, i in enumerate(rows):
        h[j, : len(hidden[i])] = hidden[i]
        mask[j, : len(hidden[i])] = 1.0
    return torch.from_numpy(h), torch.from_numpy(mask)


def _loss(torch: Any, out: Any, labels: Labels, rows: np.ndarray, sev_weight: Any) -> Any:
    fn = torch.nn.functional
    comp, sev, anger = (torch.as_tensor(a[rows]) for a in (labels.complaint, labels.severity, labels.anger))
    loss = comp.new_zeros((), dtype=out.dtype)
    if bool((comp >= 0).any()):  # -1: the row says nothing about complaints (a random tweet, P4)
        loss = loss + fn.cross_entropy(out[comp >= 0, LOGITS["complaint"]], comp[comp >= 0])
    if bool((sev > 0).any()):
        rated, level = out[sev > 0], sev[sev > 0]
        loss = loss + fn.cross_entropy(rated[:, LOGITS["severity"]], level - 1, weight=sev_weight)
        loss = loss + ORDINAL_WEIGHT * _ordinal_loss(torch, rated[:, LOGITS["ordinal"]], level, sev_weight)
    if bool((anger >= 0).any()):
        loss = loss + ANGER_WEIGHT * fn.cross_entropy(out[anger >= 0, LOGITS["anger"]], anger[anger >= 0])
    for name in ("emotion", "sentiment"):
        values = getattr(labels, name)
        if values is None or not AUX_WEIGHT:
            continue
        y = torch.as_tensor(values[rows])
        if bool((y >= 0).any()):
            loss = loss + AUX_WEIGHT * fn.cross_entropy(out[y >= 0, LOGITS[name]], y[y >= 0])
    return loss


def _ordinal_loss(torch: Any, logits: Any, sev: Any, sev_weight: Any) -> Any:
    """Binary cross-entropy of "severity >= 2", ">= 3" and ">= 4" (cumulative targets, Frank & Hall 2001).

    Why: the four levels are ordered, and the softmax head treats a level-4 message called level 1 as no
    worse than one called level 3. Each threshold task pools the rows of several levels, so with about 300
    complaints per level every boundary learns from more of them. Rows weigh as in the severity head
    (balanced by level). Run time ignores the three logits, as it ignores the other auxiliary ones.
    """
    targets = (sev[:, None] > torch.arange(1, 4)[None, :]).to(logits.dtype)
    per_row = torch.nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction="none").sum(1)
    weights = sev_weight[sev - 1]
    return (per_row * weights).sum() / weights.sum()


def _length_batches(hidden: list[np.ndarray], rows: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of rows of similar length (sorted within windows of 20 batches)."""
    perm = rng.permutation(rows)
    window = BATCH * 20
    batches = []
    for s in range(0, len(perm), window):
        chunk = sorted(perm[s : s + window], key=lambda i: len(hidden[i]))
        batches += [np.array(chunk[b : b + BATCH]) for b in range(0, len(chunk), BATCH)]
    rng.shuffle(batches)  # type: ignore[arg-type]
    return batches


def fit_soup(
    hidden: list[np.ndarray],
    labels: Labels,
    rows: np.ndarray,
    *,
    seeds: tuple[int, ...],
    epochs: int = EPOCHS,
) -> Tuned:
    """Fine-tune once per seed and average the weights ("model soup", Wortsman et al. 2022).

    Why: the runs start from the same weights (MiniLM's, and one head initialisation) and differ only in
    data order and dropout, so they stay in one basin and their average behaves like an ensemble of them
    at the run-time cost of one network.
    """
    return soup([fit(hidden, labels, rows, seed=seed, epochs=epochs) for seed in seeds])


def soup(nets: list[Tuned]) -> Tuned:
    """The element-wise mean of networks of the same shape."""
    top = [
        {k: np.mean([n.top[i][k] for n in nets], axis=0) for k in nets[0].top[i]}
        for i in range(len(nets[0].top))
    ]
    return Tuned(top, np.mean([n.head_w for n in nets], axis=0), np.mean([n.head_b for n in nets], axis=0))


def fit(
    hidden: list[np.ndarray], labels: Labels, rows: np.ndarray, *, seed: int = 0, epochs: int = EPOCHS
) -> Tuned:
    """Fine-tune on `rows` (deterministic for a seed on one machine) and export the weights.

    The head starts from HEAD_INIT_SEED whatever the seed, so runs of different seeds can be averaged.
    """
    torch = require_torch()
    torch.manual_seed(HEAD_INIT_SEED)
    net = _net(torch)
    torch.manual_seed(seed)
    counts = np.bincount(labels.severity[rows][labels.severity[rows] > 0] - 1, minlength=4)
    sev_weight = torch.tensor(counts.sum() / (4 * np.maximum(counts, 1)), dtype=torch.float32)
    opt = torch.optim.AdamW(
        [
            {"params": net.layers.parameters(), "lr": LAYER_LR},
            {"params": net.heads.parameters(), "lr": HEAD_LR},
        ],
        weight_decay=0.01,
    )
    steps = epochs * math.ceil(len(rows) / BATCH) + epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=[LAYER_LR, HEAD_LR], total_steps=steps, pct_start=0.1, anneal_strategy="linear"
    )
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        net.train()
        for batch in _length_batches(hidden, rows, rng):
            loss = _loss(torch, net(*_padded(torch, hidden, list(batch))), labels, batch, sev_weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    return _export(net)


def _export(net: Any) -> Tuned:
    top = [layer_arrays(layer, embed.LAYER_KEYS) for layer in net.layers]
    return Tuned(
        top=top,
        head_w=net.heads.weight.detach().numpy().T.astype(np.float32),
        head_b=net.heads.bias.detach().numpy().astype(np.float32),
    )


def torch_logits(tuned: Tuned, hidden: list[np.ndarray], rows: np.ndarray) -> np.ndarray:
    """Logits from the torch network rebuilt from `tuned` (eval mode): the reference for the numpy path."""
    torch = require_torch()
    net = _net(torch, tuned).eval()
    with torch.no_grad():
        return np.asarray(net(*_padded(torch, hidden, list(rows))).numpy(), dtype=np.float32)


def predict_logits(tuned: Tuned, hidden: list[np.ndarray], rows: np.ndarray) -> np.ndarray:
    """Logits for rows from their cached frozen hidden states, in numpy (exactly the run-time path)."""
    enc = embed.require_encoder().with_top(tuned.top)
    out = np.zeros((len(rows), tuned.head_w.shape[1]), np.float32)
    order = np.argsort([len(hidden[i]) for i in rows], kind="stable")
    for s in range(0, len(rows), 64):
        pick = order[s : s + 64]
        lens = [len(hidden[rows[j]]) for j in pick]
        batch = embed.Batch(len(pick), max(lens), np.zeros((len(pick), max(lens)), np.float32))
        h = np.zeros((len(pick), max(lens), embed.DIM), np.float32)
        for r, j in enumerate(pick):
            h[r, : lens[r]] = hidden[rows[j]]
            batch.mask[r, : lens[r]] = 1.0
        h2 = enc.run_layers(h.reshape(-1, embed.DIM), batch, embed.LAYERS - TOP, embed.LAYERS)
        out[pick] = tuned.logits(batch.mean_pool(h2))
    return out
