"""The coach's tuned layers (issue 19; P14, P16, P17): what is fitted in torch runs the same in numpy at
run time, sits where the coach's encoder expects it, and never teaches the reply heads from logits of
replies it was trained on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.coach import judge, reply_head, tuned
from accord.coach.rules import evidence, mask_quotes, phrase_matches
from accord.triage import embed
from accord_training import coach_tuning, coach_tuning_fit
from accord_training.coach_data import Example, attach_tuned, sentence_texts

pytestmark = pytest.mark.skipif(not embed.available(), reason="MiniLM weights not installed")

REPLIES = (
    ("Mistakes were made with your booking. It has been passed on.", {"evasive_passive"}),
    ("We are sorry if you feel let down. Our policy is clear on this.", {"non_apology", "condescension"}),
    ("Your refund of 40 pounds went out today; it reaches your card by Friday.", set()),
    ("The delay was caused by the courier, not by us. Please check your spam folder.", {"blame_or_excuse"}),
    ("We will try to look into it at some point, hopefully soon.", {"hedging", "missing_next_step"}),
    ("I rang the engineer: he comes at 9 tomorrow and I will call you at noon.", set()),
    ("Leveraging our synergies, we are realigning our service paradigm going forward.", {"double_talk"}),
    ("Thank you for your feedback. We value every guest.", {"missing_next_step"}),
    ("Sorry we double-charged you. I refunded the second charge this morning.", set()),
    ("As stated in our terms, which you agreed to, no refunds are possible.", {"condescension"}),
)


def _dev() -> list[Example]:
    return [
        Example(f"t{i}", text, "", f"g{i % 5}", frozenset(labels), "train")
        for i, (text, labels) in enumerate(REPLIES)
    ]


def test_with_layers_replaces_only_the_layers_above_the_base() -> None:
    enc = embed.require_encoder()
    marked = [{k: v + 1.0 for k, v in layer.items()} for layer in enc.layers[3:5]]
    clone = enc.with_layers(3, marked)
    assert clone.layers[:3] == enc.layers[:3] and clone.layers[5] is enc.layers[5]
    assert np.allclose(clone.layers[3]["qkv.bias"], enc.layers[3]["qkv.bias"] + 1.0)
    texts = ["We refunded you today."]
    # layer 3's mean is untouched by the tuned layers above it; layer 5's is not
    assert np.allclose(clone.pooled(texts, layers=(3,)), enc.pooled(texts, layers=(3,)), atol=1e-6)
    assert not np.allclose(clone.pooled(texts, layers=(5,)), enc.pooled(texts, layers=(5,)), atol=1e-3)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-layer network fitted in torch on the ten replies above (four epochs on the CPU)."""
    pytest.importorskip("torch")
    folder = tmp_path_factory.mktemp("fit")
    np.savez(folder / "inputs.npz", **coach_tuning.inputs(_dev()))  # type: ignore[arg-type]
    args = ["--inputs", str(folder / "inputs.npz"), "--out", str(folder), "--recipe", "k1-lr0.00015-e4"]
    assert coach_tuning_fit.main(args) == 0
    return folder


def test_the_numpy_run_time_scores_replies_as_the_torch_network_did(fitted: Path) -> None:
    net = tuned.load(fitted / "tuned.npz")
    assert net is not None and net.base == judge.ENCODER_LAYER and len(net.layers) == 1
    assert net.families == coach_tuning.FAMILIES
    with np.load(fitted / "tuned.npz") as z:
        trained = z["fit_logits"]
    for row, ex in zip(trained, _dev(), strict=True):
        vectors = net.encoder().pooled(sentence_texts(ex), layers=(net.top,))
        # float16 weights on disk, float32 arithmetic in both: equal to a few thousandths of a logit
        assert np.allclose(net.reply_logits(vectors), row, atol=0.02)


def test_train_and_val_replies_without_out_of_fold_logits_stop_training(tmp_path: Path) -> None:
    if tuned.load() is None:
        pytest.skip("no tuned network shipped")
    dev = _dev()[:2]
    with pytest.raises(ValueError, match="no out-of-fold tuned logits"):
        attach_tuned(dev, tmp_path)  # an empty corpus folder: no tuned_oof.npz, so what it saw is unknown


def test_a_train_reply_labelled_after_the_network_was_fitted_gets_its_unseen_logits(tmp_path: Path) -> None:
    """The network was fitted on exactly the ids of tuned_oof.npz; a reply labelled later is out of sample
    for it, so the reply heads learn from its logits as from the folds' (issue 19, twelfth session)."""
    net = tuned.load()
    if net is None:
        pytest.skip("no tuned network shipped")
    seen, later = _dev()[:2]
    np.savez(
        tmp_path / "tuned_oof.npz", reply_ids=np.array([seen.id]), logits=np.zeros((1, len(net.families)))
    )
    attach_tuned([seen, later], tmp_path)
    assert seen.tuned is not None and not seen.tuned.any()  # the fold's logits, as recorded
    assert later.tuned is not None
    assert np.allclose(later.tuned, net.reply_logits(judge.tuned_vectors(sentence_texts(later))))


def test_test_replies_get_the_shipped_networks_logits(tmp_path: Path) -> None:
    net = tuned.load()
    if net is None:
        pytest.skip("no tuned network shipped")
    ex = Example("x1", REPLIES[0][0], "", "g", frozenset(), "test")
    attach_tuned([ex], tmp_path)
    assert ex.tuned is not None and ex.tuned.shape == (len(net.families),)
    assert np.allclose(ex.tuned, net.reply_logits(judge.tuned_vectors(sentence_texts(ex))))


def test_the_shipped_heads_blend_the_network_where_a_weight_was_chosen() -> None:
    heads = judge.load_heads()
    if heads is None or heads.reply is None or heads.tuned_net is None:
        pytest.skip("no learnt heads shipped")
    assert heads.reply.reads_tuned and heads.reply.tuned == heads.tuned_net.families
    text = (
        "We are sorry if you feel let down by your stay. Our staff always follow the hotel policy, and the "
        "noise you mention was caused by another guest, which is beyond our control."
    )
    masked = mask_quotes(text)
    judged = judge.judge(heads, masked)
    assert judged.tuned.shape == (len(heads.tuned_net.families),)
    with_net = heads.reply.confidences(evidence(masked, judged.emb, phrase_matches(masked), judged.tuned))
    without = heads.reply.confidences(evidence(masked, judged.emb, phrase_matches(masked)))
    for family, weight in heads.reply.tuned_weight.items():
        moved = abs(with_net[family] - without[family]) > 1e-9
        assert moved == (weight > 0), family  # a family with no weight keeps the head's own verdict


def test_the_blend_mixes_logits_and_ignores_missing_ones() -> None:
    z = np.array([2.0, -1.0])
    families, net_families = ("non_apology", "hedging"), ("hedging", "non_apology")
    mixed = reply_head.blend(z, families, np.array([3.0, -2.0]), net_families, {"non_apology": 0.25})
    assert np.allclose(mixed, [0.75 * 2.0 + 0.25 * -2.0, -1.0])  # hedging has no weight: unchanged
    assert np.allclose(reply_head.blend(z, families, np.zeros(0), net_families, {"non_apology": 1.0}), z)


def test_a_soup_of_seeds_is_scored_out_of_fold_and_ships_as_one_network(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    np.savez(tmp_path / "inputs.npz", **coach_tuning.inputs(_dev()))  # type: ignore[arg-type]
    args = ["--inputs", str(tmp_path / "inputs.npz"), "--out", str(tmp_path), "--recipe", "k1-lr0.00015-e4"]
    assert coach_tuning_fit.main([*args, "--seeds", "2"]) == 0
    with np.load(tmp_path / "oof.npz") as z:
        oof = z["k1-lr0.00015-e4"]
    assert oof.shape == (len(REPLIES), len(coach_tuning.FAMILIES)) and np.isfinite(oof).all()
    assert np.abs(oof).sum() > 0  # every reply was scored by the soup of the folds that left it out
    net = tuned.load(tmp_path / "tuned.npz")
    assert net is not None and len(net.layers) == 1  # two seeds, one network's size
