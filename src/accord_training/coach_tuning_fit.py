"""Fit the coach's tuned layers (issue 19; P14, P16, P17): the step of `coach_tuning` that needs torch.

It runs wherever torch is; on a GPU machine (when one is lent) the whole grid takes minutes, on two CPU
cores hours. It reads the inputs `coach_tuning export` wrote (token ids of every sentence of the train+val
replies, their labels, the group folds and the base MiniLM weights) and writes to --out:
- `oof.npz`: per recipe of the grid, out-of-fold logits (replies x families), each fold's network
  scoring the replies it did not see; and the mean out-of-fold average precision per recipe;
- `tuned.npz`: the best recipe's network fitted on all the replies (layers float16, head float32), and its
  logits on those replies (to check the numpy run-time path against torch).
The best recipe has the highest mean out-of-fold average precision over the families: a ranking measure,
since the warn thresholds are chosen later, on the CPU, by `coach_reply` with the other feature blocks.

The network (multiple instances: a reply is a bag of sentences): each sentence's frozen layer-BASE states
go through the tuned layers and are mean-pooled; the reply is the [mean, max] of its sentence vectors,
and one linear layer gives a logit per family. Learning rates are constant after a short warm-up, so the
network after 4 of 8 epochs is also the 4-epoch recipe (one run scores two recipes).

Imports only numpy, torch, `torch_layer` and `accord.triage.embed`'s constants (that module imports nothing
beyond numpy at import time; the GPU machine has none of Accord's run-time packages):
    python3 -m accord_training.coach_tuning_fit --inputs DIR/inputs.npz --out DIR
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.triage.embed import DIM, HEADS, LAYER_KEYS
from accord_training.torch_layer import bert_layer, layer_arrays

BATCH = 16  # replies per step (about 150 sentences)
HEAD_LR = 1e-3
DROPOUT = 0.1
WEIGHT_DECAY = 0.01
WARMUP = 30  # steps
SEED = 0
INIT_SEED = 12345  # the heads start alike whatever the seed, so networks of several seeds can be averaged


@dataclass(frozen=True)
class Recipe:
    """How many layers above the base are tuned, their learning rate, and the epochs."""

    layers: int
    lr: float
    epochs: int

    @property
    def name(self) -> str:
        return f"k{self.layers}-lr{self.lr:g}-e{self.epochs}"


# Each run is scored after half its epochs too (Recipe(..., epochs // 2)).
GRID = (
    Recipe(1, 1.5e-4, 8),
    Recipe(2, 5e-5, 8),
    Recipe(2, 1.5e-4, 8),
    Recipe(3, 5e-5, 8),
    Recipe(3, 1.5e-4, 8),
)


@dataclass
class Data:
    """The inputs on the device: frozen base states per sentence, each reply's sentences, labels, folds."""

    states: Any  # (sentences, max tokens, DIM) float16 states after the base layers
    lens: np.ndarray  # tokens per sentence
    sentences_of: list[np.ndarray]  # per reply, its sentence rows
    y: np.ndarray  # (replies, families) 0/1
    fold: np.ndarray  # (replies,) fold of the group k-fold
    layers: list[dict[str, np.ndarray]]  # all six base layers (the tuned ones start from them)
    base: int
    families: list[str]


def average_precision(score: np.ndarray, truth: np.ndarray) -> float:
    """Mean precision at each true reply, ranked by score (0 when no reply is true)."""
    order = np.argsort(-score, kind="stable")
    hits = truth[order].astype(bool)
    if not hits.any():
        return 0.0
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].mean())


def load(torch: Any, path: Path, device: Any) -> Data:
    """Read inputs.npz and run the frozen base layers once for every sentence."""
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays["meta"]))
    layers = [
        {key: arrays[f"L{i}.{key}"].astype(np.float32) for key in LAYER_KEYS} for i in range(meta["n_layers"])
    ]
    lens = arrays["sent_len"].astype(np.int64)
    starts = np.r_[0, np.cumsum(lens)[:-1]]
    states = _base_states(torch, arrays, layers[: meta["base"]], lens, starts, device)
    owner = arrays["sent_reply"]
    n = len(arrays["y"])
    sentences_of = [np.flatnonzero(owner == r) for r in range(n)]
    return Data(
        states, lens, sentences_of, arrays["y"].astype(np.float32), arrays["fold"], layers, meta["base"],
        meta["families"],
    )  # fmt: skip


def _base_states(
    torch: Any, arrays: dict, base: list[dict], lens: np.ndarray, starts: np.ndarray, device: Any
) -> Any:
    """Token states after the frozen base layers, (sentences, longest, DIM) float16 on the device."""
    fn = torch.nn.functional
    word = torch.tensor(arrays["emb.word"].astype(np.float32), device=device)
    pos = torch.tensor(arrays["emb.pos"].astype(np.float32), device=device)
    typ = torch.tensor(arrays["emb.type"].astype(np.float32), device=device)
    ln_w, ln_b = (torch.tensor(arrays[k].astype(np.float32), device=device) for k in ("emb.ln_w", "emb.ln_b"))
    ids = arrays["ids"].astype(np.int64)
    longest = int(lens.max())
    out = torch.zeros((len(lens), longest, DIM), dtype=torch.float16, device=device)
    net = [bert_layer(torch, w, HEADS, 0.0).to(device).eval() for w in base]
    with torch.no_grad():
        for s in range(0, len(lens), 512):
            rows = np.arange(s, min(s + 512, len(lens)))
            length = int(lens[rows].max())
            tok = np.zeros((len(rows), length), np.int64)
            mask = np.zeros((len(rows), length), np.float32)
            for j, r in enumerate(rows):
                tok[j, : lens[r]] = ids[starts[r] : starts[r] + lens[r]]
                mask[j, : lens[r]] = 1.0
            t, m = torch.tensor(tok, device=device), torch.tensor(mask, device=device)
            h = fn.layer_norm(word[t] + pos[:length] + typ, (DIM,), ln_w, ln_b, 1e-12)
            bias = ((1 - m) * -1e9)[:, None, None, :]
            for layer in net:
                h = layer(h, bias)
            out[rows[0] : rows[-1] + 1, :length] = h.half()
    return out


def network(torch: Any, data: Data, k: int) -> Any:
    """Layers base+1 .. base+k (from the base weights), sentence mean-pooling, reply [mean, max], heads."""
    nn = torch.nn

    class Net(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            top = data.layers[data.base : data.base + k]
            self.layers = nn.ModuleList([bert_layer(torch, w, HEADS, DROPOUT) for w in top])
            self.heads = nn.Linear(2 * DIM, len(data.families))

        def forward(self, h: Any, mask: Any, owner: Any, n: int) -> Any:
            bias = ((1 - mask) * -1e9)[:, None, None, :]
            for layer in self.layers:
                h = layer(h, bias)
            v = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            return self.heads(nn.functional.dropout(reply_pool(torch, v, owner, n), DROPOUT, self.training))

    return Net()


def reply_pool(torch: Any, v: Any, owner: Any, n: int) -> Any:
    """[mean, max] of each reply's sentence vectors (zeros for a reply without sentences), as at run time."""
    total = torch.zeros((n, v.shape[1]), device=v.device).index_add_(0, owner, v)
    count = torch.zeros(n, device=v.device).index_add_(0, owner, torch.ones_like(owner, dtype=v.dtype))
    top = torch.full((n, v.shape[1]), -1e9, device=v.device)
    top = top.scatter_reduce(0, owner[:, None].expand_as(v), v, reduce="amax", include_self=True)
    top = torch.where(count[:, None] > 0, top, torch.zeros_like(top))
    return torch.cat([total / count.clamp(min=1)[:, None], top], 1)


def batch_inputs(torch: Any, data: Data, replies: np.ndarray) -> tuple[Any, Any, Any]:
    """The sentences of some replies, cut to their longest, with each sentence's reply in the batch."""
    rows = [data.sentences_of[r] for r in replies]
    sent = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    owner = np.concatenate([np.full(len(x), j) for j, x in enumerate(rows)]).astype(np.int64)
    device = data.states.device
    if len(sent) == 0:
        return (
            torch.zeros((0, 1, DIM), device=device),
            torch.zeros((0, 1), device=device),
            torch.tensor(owner),
        )
    length = int(data.lens[sent].max())
    h = data.states[torch.tensor(sent, device=device), :length].float()
    mask = (
        torch.arange(length, device=device)[None, :] < torch.tensor(data.lens[sent], device=device)[:, None]
    )
    return h, mask.float(), torch.tensor(owner, device=device)


def logits(torch: Any, net: Any, data: Data, replies: np.ndarray) -> np.ndarray:
    """Eval-mode logits for replies, in batches."""
    net.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(replies), 64):
            part = replies[s : s + 64]
            out.append(net(*batch_inputs(torch, data, part), len(part)).float().cpu().numpy())
    return np.concatenate(out) if out else np.zeros((0, len(data.families)), np.float32)


def fit(
    torch: Any, data: Data, rows: np.ndarray, recipe: Recipe, held: np.ndarray, seed: int = SEED
) -> tuple[Any, dict[int, np.ndarray]]:
    """Train on `rows`; return the network and the held-out logits after half and all of the epochs."""
    torch.manual_seed(INIT_SEED)
    net = network(torch, data, recipe.layers).to(data.states.device)
    torch.manual_seed(seed)
    opt = torch.optim.AdamW(
        [
            {"params": net.layers.parameters(), "lr": recipe.lr},
            {"params": net.heads.parameters(), "lr": HEAD_LR},
        ],
        weight_decay=WEIGHT_DECAY,
    )
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: min(1.0, (step + 1) / WARMUP))
    pos = data.y[rows].sum(0)
    pos_weight = torch.tensor(np.sqrt((len(rows) - pos) / np.maximum(pos, 1)), device=data.states.device)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight.float())
    rng = np.random.default_rng(seed)
    snapshots = {}
    for epoch in range(1, recipe.epochs + 1):
        net.train()
        perm = rng.permutation(rows)
        for s in range(0, len(perm), BATCH):
            part = perm[s : s + BATCH]
            out = net(*batch_inputs(torch, data, part), len(part))
            loss = loss_fn(out, torch.tensor(data.y[part], device=out.device))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        if epoch in (recipe.epochs // 2, recipe.epochs) and len(held):
            snapshots[epoch] = logits(torch, net, data, held)
    return net, snapshots


def out_of_fold(torch: Any, data: Data, out: Path, grid: tuple[Recipe, ...] = GRID) -> dict[str, np.ndarray]:
    """{recipe name: out-of-fold logits} for every recipe of GRID and its half-epoch twin, saved to
    out/oof.npz after each recipe (a run stopped at its time limit keeps what it finished)."""
    n = len(data.y)
    found: dict[str, np.ndarray] = {}
    for recipe in grid:
        started = time.time()
        half = Recipe(recipe.layers, recipe.lr, recipe.epochs // 2)
        for r in (recipe, half):
            found[r.name] = np.zeros((n, len(data.families)), np.float32)
        for k in sorted(set(data.fold.tolist())):
            held = np.flatnonzero(data.fold == k)
            _, snaps = fit(torch, data, np.flatnonzero(data.fold != k), recipe, held)
            found[recipe.name][held] = snaps[recipe.epochs]
            found[half.name][held] = snaps[half.epochs]
        print(
            f"{recipe.name}: mean AP {mean_ap(found[recipe.name], data.y):.4f} ({time.time() - started:.0f}s)"
        )
        np.savez(out / "oof.npz", **found)  # type: ignore[arg-type]
    return found


def soup(torch: Any, data: Data, recipe: Recipe, nets: list[Any]) -> Any:
    """The element-wise mean of networks fitted from the same start with different seeds ("model soup",
    Wortsman et al. 2022): they stay in one basin, so the mean behaves like their ensemble at the run-time
    cost of one network (`tuning.soup` does the same for triage)."""
    mean = network(torch, data, recipe.layers).to(data.states.device)
    states = [n.state_dict() for n in nets]
    mean.load_state_dict({k: sum(st[k] for st in states) / len(states) for k in states[0]})
    return mean


def soup_out_of_fold(torch: Any, data: Data, recipe: Recipe, seeds: int) -> np.ndarray:
    """Out-of-fold logits of the soup of `seeds` networks per fold."""
    found = np.zeros((len(data.y), len(data.families)), np.float32)
    for k in sorted(set(data.fold.tolist())):
        held, rows = np.flatnonzero(data.fold == k), np.flatnonzero(data.fold != k)
        nets = [fit(torch, data, rows, recipe, np.zeros(0, np.int64), seed)[0] for seed in range(seeds)]
        found[held] = logits(torch, soup(torch, data, recipe, nets), data, held)
    return found


def mean_ap(scores: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean([average_precision(scores[:, f], y[:, f]) for f in range(y.shape[1])]))


def export(net: Any, recipe: Recipe, data: Data, fitted: np.ndarray, path: Path) -> None:
    """The fitted network: tuned layers as float16 arrays, the heads float32, and what it was."""
    arrays: dict[str, np.ndarray] = {}
    for i, layer in enumerate(net.layers):
        for key, value in layer_arrays(layer, LAYER_KEYS).items():
            arrays[f"L{i}.{key}"] = value.astype(np.float16)
    arrays["head_w"] = net.heads.weight.detach().float().cpu().numpy().T.astype(np.float32)
    arrays["head_b"] = net.heads.bias.detach().float().cpu().numpy().astype(np.float32)
    arrays["fit_logits"] = fitted.astype(np.float32)
    meta = {"recipe": recipe.name, "base": data.base, "layers": recipe.layers, "families": data.families}
    np.savez(path, meta=np.array(json.dumps(meta)), **arrays)  # type: ignore[arg-type]


def parse_grid(text: str) -> tuple[Recipe, ...]:
    """ "2:1.5e-4:16,3:5e-5:8" -> recipes (layers:lr:epochs); empty -> GRID."""
    if not text:
        return GRID
    return tuple(
        Recipe(int(k), float(lr), int(e)) for k, lr, e in (part.split(":") for part in text.split(","))
    )


def recipe_named(name: str, grid: tuple[Recipe, ...] = GRID) -> Recipe:
    for recipe in grid:
        for r in (recipe, Recipe(recipe.layers, recipe.lr, recipe.epochs // 2)):
            if r.name == name:
                return r
    raise ValueError(f"unknown recipe {name!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=0, help="first N replies only (a smoke test on the CPU)")
    ap.add_argument("--recipe", default="", help="skip the grid: fit this recipe on all replies")
    ap.add_argument("--grid", default="", help="recipes instead of GRID, as layers:lr:epochs,...")
    ap.add_argument(
        "--seeds", type=int, default=1, help="with --recipe: a soup of this many seeds, out of fold"
    )
    args = ap.parse_args(argv)
    import torch

    torch.backends.cuda.matmul.allow_tf32 = True
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    started = time.time()
    data = load(torch, args.inputs, device)
    if args.limit:
        data.sentences_of, data.y, data.fold = (
            data.sentences_of[: args.limit],
            data.y[: args.limit],
            data.fold[: args.limit],
        )
    print(
        f"loaded {len(data.y)} replies, {len(data.lens)} sentences on {device}",
        f"in {time.time() - started:.0f}s",
    )
    args.out.mkdir(parents=True, exist_ok=True)
    if args.recipe:
        best = recipe_named(args.recipe, parse_grid(args.grid))
        if args.seeds > 1:
            oof_soup = soup_out_of_fold(torch, data, best, args.seeds)
            print(f"{best.name} x{args.seeds}: mean AP {mean_ap(oof_soup, data.y):.4f}", flush=True)
            np.savez(args.out / "oof.npz", **{best.name: oof_soup})  # type: ignore[arg-type]
    else:
        grid = parse_grid(args.grid)
        oof = out_of_fold(torch, data, args.out, grid)
        scores = {name: mean_ap(v, data.y) for name, v in oof.items()}
        for name, value in sorted(scores.items(), key=lambda kv: -kv[1]):
            per = [round(average_precision(oof[name][:, f], data.y[:, f]), 3) for f in range(data.y.shape[1])]
            print(f"{name}: mean AP {value:.4f} {dict(zip(data.families, per, strict=True))}", flush=True)
        np.savez(args.out / "oof.npz", scores=np.array(json.dumps(scores)), **oof)  # type: ignore[arg-type]
        best = recipe_named(max(scores, key=lambda k: scores[k]), grid)
    everyone = np.arange(len(data.y))
    nets = [fit(torch, data, everyone, best, np.zeros(0, np.int64), seed)[0] for seed in range(args.seeds)]
    net = soup(torch, data, best, nets) if len(nets) > 1 else nets[0]
    export(net, best, data, logits(torch, net, data, everyone), args.out / "tuned.npz")
    print(f"fitted {best.name} on {len(everyone)} replies; {time.time() - started:.0f}s in all", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
