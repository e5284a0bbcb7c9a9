"""Threats and categories learnt from our own corpus (issue 18): a fixed held-out split, heads that round-trip
through the artifacts, and the shipped heads' quality on the test split they never saw (P5)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.triage import model
from accord.triage.category import CATEGORIES
from accord_training import corpus_training as ct
from accord_training import threat_mix

pytestmark = pytest.mark.skipif(not ct.CORPUS_DIR.exists(), reason="corpus not found")


def test_the_test_split_is_a_fixed_quarter_that_does_not_depend_on_file_order() -> None:
    rows = ct.read_threats()
    share = float(rows.test.mean())
    assert 0.2 < share < 0.3
    assert [ct.is_test(t) for t in reversed(rows.texts)] == list(reversed(rows.test.tolist()))
    assert ct.is_test("  We will cancel.  ") == ct.is_test("we will cancel.")


def _small_corpus(folder: Path) -> None:
    """A few rows of each threat kind and category, enough for the 5-fold choice of settings."""
    threats = [json.loads(x) for x in (ct.CORPUS_DIR / "threats.jsonl").read_text().splitlines()]
    picked: list[dict[str, object]] = []
    for kind in ("legal", "churn", "review"):
        picked += [r for r in threats if r[kind] and r not in picked][:12]
    picked += [r for r in threats if r["kind"] != "positive"][:36]
    cats = [json.loads(x) for x in (ct.CORPUS_DIR / "categories.jsonl").read_text().splitlines()]
    chosen = [r for c in CATEGORIES for r in [x for x in cats if x["category"] == c][:9]]
    for name, rows in (("threats.jsonl", picked), ("categories.jsonl", chosen)):
        (folder / name).write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")


def test_corpus_heads_round_trip_through_the_artifacts(tmp_path: Path) -> None:
    _small_corpus(tmp_path)
    fitted = ct.fit_corpus((3,), None, folder=tmp_path)
    corpus = fitted.corpus
    lite = model.load_lite()  # the shipped lite heads stand in for the xci part
    frozen = model.Frozen((3,), fitted.heads, fitted.weights, fitted.nets) if fitted.weights else None
    model.save(lite, corpus, frozen, tmp_path / "art")
    loaded = model.load("full", tmp_path / "art")
    texts = ["Our solicitor will be in touch about the damages.", "Thanks, the new logo looks great."]
    assert loaded.corpus is not None
    direct = corpus.predict(texts)
    again = loaded.corpus.predict(texts)
    assert np.allclose(direct["legal"], again["legal"], atol=1e-5)
    assert again["category"].shape == (2, len(CATEGORIES))
    assert set(corpus.judging) == {"legal", "churn", "review"}
    for kind, (share, at) in corpus.judging.items():  # chosen out of fold, saved and read back
        assert loaded.corpus.judging[kind] == pytest.approx((share, at), abs=1e-6)
        assert loaded.corpus.threat(kind, at, at) == pytest.approx(0.5)  # the threshold reads as 0.5


def test_the_best_sentence_counts_when_it_carries_the_threat_the_whole_message_dilutes() -> None:
    """Out-of-fold scores where the threats sit in one sentence of longer messages: the whole message's
    score misses half of them, the best sentence's finds them, so the mix takes the sentence in."""
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    whole = np.array([0.9, 0.8, 0.3, 0.35, 0.2, 0.1, 0.4, 0.3])
    sentence = np.array([0.9, 0.85, 0.8, 0.9, 0.3, 0.2, 0.4, 0.35])
    share, _at, f1 = threat_mix.choose_mix(y, whole, sentence)
    assert share > 0 and f1 == 1.0
    assert threat_mix.choose_mix(y, whole, whole)[0] == 0.0  # nothing to gain: the whole message alone


def test_a_sentence_share_that_wins_next_to_nothing_is_not_worth_encoding_every_sentence() -> None:
    """One threat in 400 found only by its sentence: out-of-fold F1 0.9987 -> 1.0, inside the noise, so the
    whole message alone is kept (triage then encodes no sentence: the 25 ms target, issue 18)."""
    y = np.r_[np.ones(400, int), np.zeros(600, int)]
    whole = np.r_[np.full(399, 0.9), 0.2, np.full(600, 0.1)]
    sentence = np.r_[np.full(400, 0.9), np.full(600, 0.1)]
    share, at, f1 = threat_mix.choose_mix(y, whole, sentence)
    assert share == 0.0 and f1 == pytest.approx(0.9987, abs=2e-4) and 0.2 < at <= 0.9


def test_each_message_gets_its_highest_sentence() -> None:
    sents = threat_mix.Sentences.of(["Thanks for the call. We are cancelling the contract.", "Just one."])
    assert sents.texts == ["Thanks for the call.", "We are cancelling the contract."]
    best = threat_mix.best_sentence(np.array([0.4, 0.2]), sents, np.array([0.1, 0.9]))
    assert best.tolist() == [0.9, 0.2]


def test_the_shipped_heads_hold_on_the_held_out_test_split() -> None:
    """Floors under what `accord triage corpus` printed for triage-11 retrained on the corpus with batch
    25e (sixteenth session) on the 1,068 test rows (legal 0.952 / 0.952, churn 0.890 / 0.909, review 0.948 /
    0.910, category 0.870), so a regression fails (issue 18's own targets, 0.92 per threat, are not all
    met: churn precision and review recall fall short, see the README)."""
    out = ct.evaluate_corpus()
    assert out["legal"]["precision"] >= 0.94 and out["legal"]["recall"] >= 0.94
    assert out["churn"]["precision"] >= 0.88 and out["churn"]["recall"] >= 0.90
    assert out["review"]["precision"] >= 0.93 and out["review"]["recall"] >= 0.90
    assert out["category"]["accuracy"] >= 0.85


def test_every_hand_written_batch_row_is_in_the_corpus_with_its_labels() -> None:
    """The batches in data/triage/batches/ are the source of the rows they hold (`append.py` adds them):
    a row edited in one place and not the other fails here."""
    rows = {" ".join(r["text"].lower().split()): r for r in map(json.loads, _lines("threats.jsonl"))}
    batches = sorted((ct.CORPUS_DIR / "batches").glob("threats_*.txt"))
    assert batches
    for batch in batches:
        for line in batch.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            flags, _kind, register, business, text = line.split("|", 4)
            row = rows[" ".join(text.replace("\\n", "\n").lower().split())]
            assert f"{row['legal']}{row['churn']}{row['review']}" == flags
            assert (row["register"], row["business"]) == (register, business)


def _lines(name: str) -> list[str]:
    return [x for x in (ct.CORPUS_DIR / name).read_text(encoding="utf-8").splitlines() if x.strip()]


def test_real_narratives_join_the_train_split_only_and_only_when_rebuilt(tmp_path: Path) -> None:
    """The real complaint narratives (data/triage/real) are third-party text kept out of git: without their
    rebuilt texts training uses the corpus alone; with them, labelled rows join as train rows, never test,
    and a label whose text is missing is skipped rather than trained on an empty string (issue 18)."""
    assert ct.read_real_train(tmp_path) is None
    (tmp_path / "train_texts.jsonl").write_text(
        json.dumps({"id": "a", "text": "I will be contacting my attorney about this."}) + "\n",
        encoding="utf-8",
    )
    labels = [
        {"id": "a", "legal": 1, "churn": 0, "review": 0},
        {"id": "gone", "legal": 0, "churn": 1, "review": 0},
    ]
    (tmp_path / "train_labels.jsonl").write_text("\n".join(map(json.dumps, labels)) + "\n", encoding="utf-8")
    real = ct.read_real_train(tmp_path)
    assert real is not None and real.texts == ["I will be contacting my attorney about this."]
    corpus = ct.read_threats()
    joined = ct.with_real(corpus, real)
    assert len(joined.texts) == len(corpus.texts) + 1 and not joined.test[-1]
    assert (
        joined.labels["legal"][-1] == 1 and joined.test[: len(corpus.texts)].tolist() == corpus.test.tolist()
    )


def test_both_real_training_sets_join_each_only_when_rebuilt(tmp_path: Path) -> None:
    """Two real training sets, the CFPB narratives (real/) and customers' complaint reviews (reviews/),
    each third-party text kept out of git: a clone with neither trains on the corpus alone, with one only
    on that one, with both on both in ALL_REAL_SOURCES order (issue 18), a review row weighing
    REAL_WEIGHTS["reviews"] in training and in the choice of settings. The shipped recipe reads the CFPB set
    alone (REAL_SOURCES), so a rebuilt reviews set does not change `accord triage train`."""
    assert ct.read_real_trains(tmp_path, sources=ct.ALL_REAL_SOURCES) is None

    def rebuilt(name: str, text: str, churn: int) -> None:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "train_texts.jsonl").write_text(
            json.dumps({"id": name, "text": text}) + "\n", encoding="utf-8"
        )
        label = {"id": name, "legal": 0, "churn": churn, "review": 0}
        (folder / "train_labels.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")

    rebuilt("reviews", "Uninstalled, switching to another app.", 1)
    assert ct.read_real_trains(tmp_path) is None
    only = ct.read_real_trains(tmp_path, sources=ct.ALL_REAL_SOURCES)
    assert only is not None and only.texts == ["Uninstalled, switching to another app."]
    assert only.weights().tolist() == [ct.REAL_WEIGHTS["reviews"]] and ct.REAL_WEIGHTS["reviews"] < 1
    rebuilt("real", "I disputed the debt with the bureau.", 0)
    both = ct.read_real_trains(tmp_path, sources=ct.ALL_REAL_SOURCES)
    assert both is not None and both.texts == ["I disputed the debt with the bureau.", only.texts[0]]
    assert both.labels["churn"].tolist() == [0, 1] and not both.test.any()
    assert both.weights().tolist() == [1.0, ct.REAL_WEIGHTS["reviews"]]
    cfpb = ct.read_real_trains(tmp_path, sources=("real",))
    assert cfpb is not None and cfpb.texts == both.texts[:1]


def test_a_lighter_real_row_counts_for_less_in_the_choice_of_settings() -> None:
    """Issue 18: where the reviews set is read, a customer review trains at REAL_WEIGHTS["reviews"] and is
    scored at that weight when CV picks a threshold, so missing it costs less than missing one of the
    corpus' own threats."""
    y = np.array([1, 1, 0])
    missed_review = np.array([True, False, False])
    w = np.array([1.0, ct.REAL_WEIGHTS["reviews"], 1.0])
    assert threat_mix.weighted_f1(y, missed_review) == pytest.approx(2 / 3)
    assert threat_mix.weighted_f1(y, missed_review, w) > 2 / 3


def test_real_rows_that_all_weigh_one_train_exactly_as_unweighted_rows() -> None:
    """Issue 18: the CFPB rows weigh 1, so the shipped recipe's fits stay the unweighted ones its artifacts
    came from; only a lighter set (the reviews) makes training weighted."""
    assert ct.uneven(np.ones(4)) is None and ct.uneven(None) is None
    mixed = np.array([1.0, 1.0, ct.REAL_WEIGHTS["reviews"]])
    assert ct.uneven(mixed) is mixed
