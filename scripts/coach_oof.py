"""Out-of-fold judgement of the coach's reply heads with and without the team's written replies (issue 19).

Why: written replies (`data/coach/written/`) may teach the heads paraphrases the real corpus has too few
of, or teach them our own style instead. They are kept only if they help on real replies the heads did
not see: the same 5 group folds over the real train+val rows are scored with the written rows in every
fold's training or not; the test split is never read. Prints, per family, the out-of-fold recall at
precision >= 0.8 (the best C of the grid) and the report at the thresholds training would choose (the
clean-alarm cap and missing_next_step included).

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python scripts/coach_oof.py --corpus data/coach \\
        --cache /tmp/coach_cache.npz [--new-ids tp-,gp-swiggy-,gp-zomato-]

With --by-register the folds are the registers of the rows (Indian hotels on TripAdvisor, hotels
elsewhere, fintech apps, other apps, support e-mail, rentals on Trustpilot, food-delivery apps, and from
the twelfth session entertainment apps and a bank on Trustpilot): leave-one-register-out, to see how the
heads do on a register they never saw.

With --new-ids (id prefixes), a new corpus round is judged the same way: its train+val rows are
never scored, and join every fold's training (weight 1, in the vocabulary, like any real reply) or not,
with the written replies in both runs as shipped; the scores stay on the earlier rows and folds.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from accord.coach import judge
from accord_training import coach_reply as cr
from accord_training.coach_data import Example, attach_tuned, featurize, load_cache, load_corpus, save_cache

OTHER_APPS = ("gp-uber-", "gp-anz-", "gp-hiking-", "gp-busuu-")
FINTECH_APPS = tuple(
    f"gp-{app}-"
    for app in (
        "phonepe", "fampay", "akudo", "junio", "bharatpe", "cred", "googlepay", "mobikwik", "niyo", "fi",
        "greenlight", "bhim", "freo", "instantpay", "mahilamoney", "niyoglobal", "jupiter",
    )
)  # fmt: skip
REGISTERS: dict[tuple[str, ...], str] = {
    ("tp-keytrade-",): "bank_trustpilot",  # before "tp-": the first matching prefix names the register
    ("tp-",): "rentals_trustpilot",
    ("gp-swiggy-", "gp-zomato-"): "food_delivery_apps",
    ("ent-",): "entertainment_apps",
    ("ta-",): "hotels_india",
    ("hr-",): "hotels_elsewhere",
    ("sr-",): "support_email",
    OTHER_APPS: "other_apps",
    FINTECH_APPS: "fintech_apps",
}


def register(example_id: str) -> str:
    """The register an earlier corpus row belongs to, by its id (data/coach/README.md, "Ids"). An id of
    another source is an error: counted as some register, it would quietly change the folds."""
    for prefixes, name in REGISTERS.items():
        if example_id.startswith(prefixes):
            return name
    raise ValueError(f"{example_id}: no register known for this source; judge it with --new-ids")


def _scores(
    dev: list[Example],
    written: list[Example],
    share: float,
    used_by: frozenset[str],
    new: list[Example],
    by_register: bool = False,
) -> dict:
    evs = [cr.reply_evidence(e) for e in dev]
    labels = {f: np.array([f in e.labels for e in dev]) for f in judge.LANGUAGE}
    clean = np.array([not e.labels for e in dev])
    fixed = cr.Fixed.of(cr.draft_evidence(), written, judge.LANGUAGE, share, used_by, real=new)
    groups = [register(e.id) if by_register else e.group for e in dev]
    oof = cr.out_of_fold(evs, labels, groups, fixed)
    at_target = {f: max(cr.threshold(oof[c][f], y)[0] for c in cr.C_GRID) for f, y in labels.items()}
    step, other = cr.step_confidences(dev)
    flagged = np.array(["missing_next_step" in e.labels for e in dev])
    picked = cr.choose_with_step(oof, labels, clean, step, flagged, other)
    shipped = cr.report(picked.conf, labels, picked.warn_at, clean, picked.already)
    return {"recall_at_p08": {f: round(v, 3) for f, v in at_target.items()}, "chosen": shipped}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("data/coach"))
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--share", type=float, default=cr.WRITTEN_SHARE, help="sample weight of a written reply")
    ap.add_argument("--skip-without", action="store_true", help="score only the run with written replies")
    ap.add_argument(
        "--used-by",
        default=",".join(sorted(cr.WRITTEN_USED_BY)),
        help="comma-separated families whose heads the written rows teach (the others give them weight 0)",
    )
    ap.add_argument("--by-register", action="store_true", help="leave one register out instead of 5 folds")
    ap.add_argument("--new-ids", default="", help="comma-separated id prefixes of a new round to judge")
    args = ap.parse_args()
    judge.set_cache_size(1_000_000)
    load_cache(args.cache)
    prefixes = tuple(filter(None, args.new_ids.split(",")))
    dev_all = [e for e in load_corpus(args.corpus) if e.split in ("train", "val")]
    dev = [e for e in dev_all if not (prefixes and e.id.startswith(prefixes))]
    new = [e for e in dev_all if prefixes and e.id.startswith(prefixes)]
    written = cr.load_written(args.corpus / cr.WRITTEN)
    for ex in dev_all + written:
        featurize(ex)
    attach_tuned(dev_all + written, args.corpus)
    save_cache(args.cache)
    print(f"{len(dev)} real train+val replies scored, {len(new)} of a new round, {len(written)} written")
    used_by = frozenset(args.used_by.split(","))
    runs: list[tuple[str, list[Example], list[Example]]]
    if prefixes:
        runs = [("without the new round", written, []), ("with the new round", written, new)]
    else:
        runs = [] if args.skip_without and written else [("without", [], [])]
        runs += [("with", written, [])] if written else []
    for name, rows, extra in runs:
        print(name, json.dumps(_scores(dev, rows, args.share, used_by, extra, args.by_register)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
