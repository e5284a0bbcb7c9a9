"""The coach's tuned layers (issue 19; P14, P16, P17): MiniLM's layers above layer 3, fine-tuned on the
corpus's reply labels, blended with the reply heads' logits.

Why: the reply heads read MiniLM's frozen layer-3 states, n-grams and phrase rules; what an editor flags
in a reply that uses none of our phrases (an excuse in a company's own words, a passive that hides who
acts) is meaning the frozen states do not separate, and out of fold double_talk, evasive_passive and
blame_or_excuse stayed under 0.5 recall. Tuning the layers above the ones the coach already runs lets the
states learn it, at the run-time cost of those layers only.

How it reaches a reply: each language family's confidence is (1 - w) * reply-head logit + w * the tuned
network's logit (`accord.coach.reply_head.blend`, w chosen out of fold by `coach_reply.with_tuned`). The
choice needs honest inputs, so for the train+val replies the network's logits are *out of fold* (the group
folds `coach_reply` uses; each fold's network never saw the reply), kept in `data/coach/tuned_oof.npz`; the
shipped network, fitted on all train+val replies, scores drafts, written replies, the test split and live
replies. The test split is never read here.

Steps (the middle one needs torch; on a GPU machine the grid takes minutes, on two CPU cores hours):
    PYTHONPATH=src .venv/bin/python -m accord_training.coach_tuning export --corpus data/coach --out DIR
    python3 -m accord_training.coach_tuning_fit --inputs DIR/inputs.npz --out DIR
    PYTHONPATH=src .venv/bin/python -m accord_training.coach_tuning install --fit DIR --corpus data/coach
then refit the reply heads (`accord_training.coach_reply`), which read both files.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from accord.coach import judge, tuned
from accord.triage import embed
from accord_training.coach_data import TUNED_OOF, Example, load_corpus, sentence_texts
from accord_training.coach_reply import FOLDS  # the same group folds as the reply heads

FAMILIES = (*judge.LANGUAGE, "missing_next_step")


def dev_rows(examples: list[Example]) -> list[Example]:
    """The train+val replies, in corpus order (the order `coach_reply.train` folds them in)."""
    return [e for e in examples if e.split in ("train", "val")]


def group_folds(dev: list[Example]) -> np.ndarray:
    """Fold number per reply: GroupKFold by business, as `coach_reply.out_of_fold` splits."""
    fold = np.zeros(len(dev), np.int8)
    for k, (_, held) in enumerate(GroupKFold(n_splits=FOLDS).split(dev, groups=[e.group for e in dev])):
        fold[held] = k
    return fold


def inputs(dev: list[Example]) -> dict[str, np.ndarray]:
    """The fit's inputs: token ids per sentence, labels, folds, base weights (float16, used rows only)."""
    enc = embed.require_encoder()
    per_reply = [sentence_texts(e) for e in dev]
    ids = enc.token_ids([t for texts in per_reply for t in texts])
    flat = np.concatenate([np.array(x, np.int64) for x in ids]) if ids else np.zeros(0, np.int64)
    used = np.unique(flat)
    owner = [np.full(len(t), r) for r, t in enumerate(per_reply)]
    arrays: dict[str, np.ndarray] = {
        "ids": np.searchsorted(used, flat).astype(np.int32),
        "sent_len": np.array([len(x) for x in ids], np.int32),
        "sent_reply": np.concatenate(owner).astype(np.int32) if owner else np.zeros(0, np.int32),
        "y": np.array([[f in e.labels for f in FAMILIES] for e in dev], np.uint8),
        "fold": group_folds(dev),
        "reply_ids": np.array([e.id for e in dev]),
        "emb.word": enc.embeddings["word_embeddings.weight"][used].astype(np.float16),
        "emb.pos": enc.embeddings["position_embeddings.weight"].astype(np.float16),
        "emb.type": enc.embeddings["token_type_embeddings.weight"][0].astype(np.float16),
        "emb.ln_w": enc.embeddings["LayerNorm.weight"].astype(np.float16),
        "emb.ln_b": enc.embeddings["LayerNorm.bias"].astype(np.float16),
    }
    for i, layer in enumerate(enc.layers):
        for key, value in layer.items():
            arrays[f"L{i}.{key}"] = value.astype(np.float16)
    meta = {"base": judge.ENCODER_LAYER, "n_layers": embed.LAYERS, "families": list(FAMILIES)}
    arrays["meta"] = np.array(json.dumps(meta))
    return arrays


def export(corpus: Path, out: Path) -> Path:
    """Write inputs.npz for the corpus's train+val replies (about 30 MB: keep it out of the repo)."""
    dev = dev_rows(load_corpus(corpus))
    arrays = inputs(dev)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "inputs.npz"
    np.savez(path, **arrays)  # type: ignore[arg-type]
    print(
        f"{len(dev)} replies, {len(arrays['sent_len'])} sentences, {len(arrays['emb.word'])} tokens -> {path}"
    )
    return path


def install(fit: Path, corpus: Path) -> None:
    """Ship the fitted network (artifacts/tuned.npz) and keep the chosen recipe's out-of-fold logits."""
    with np.load(fit / "tuned.npz") as z:
        meta = json.loads(str(z["meta"]))
        keep = {k: z[k] for k in z.files if k != "fit_logits"}
    np.savez_compressed(tuned.TUNED_FILE, **keep)
    with np.load(fit / "oof.npz") as z, np.load(fit / "inputs.npz") as inputs:
        logits = z[meta["recipe"]].astype(np.float32)
        ids = inputs["reply_ids"]
    np.savez_compressed(corpus / TUNED_OOF, reply_ids=ids, logits=logits, recipe=np.array(meta["recipe"]))
    tuned.load.cache_clear()
    print(f"installed {meta['recipe']} -> {tuned.TUNED_FILE}; out-of-fold logits of {len(ids)} replies")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=("export", "install"))
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--out", type=Path, help="export: the folder for inputs.npz")
    ap.add_argument("--fit", type=Path, help="install: the folder the fit wrote")
    args = ap.parse_args(argv)
    if args.step == "export":
        export(args.corpus, args.out or Path("data/coach/tuning"))
    else:
        install(args.fit or Path("data/coach/tuning"), args.corpus)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
