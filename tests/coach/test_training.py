"""Training the coach's reply heads (issue 19, P13, P14): the team's hand-written replies may teach the heads,
but only real replies are held out, scored and used to choose thresholds, so the numbers a user reads in the
README stay numbers on real text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from accord import clock
from accord_training import coach_reply as cr
from accord_training.coach_data import Example, featurize, load_corpus

ROOT = Path(__file__).resolve().parents[2]
HEDGE = ("We might possibly look into it at some point, perhaps.", "It may or may not be possible, we think.")
PLAIN = ("We refunded the charge today; it reaches your card by Friday.", "The engineer comes at 9 tomorrow.")


def _example(i: int, text: str, labels: frozenset[str], split: str = "train") -> Example:
    ex = Example(f"r{i}", text, "", f"g{i % 5}", labels, split)
    featurize(ex)
    return ex


@pytest.fixture(scope="module")
def real() -> list[Example]:
    """Ten real-like replies in five groups: hedged ones and plain ones in every group."""
    rows = [(HEDGE[i % 2], frozenset({"hedging"})) for i in range(5)]
    rows += [(PLAIN[i % 2], frozenset()) for i in range(5)]
    return [_example(i, text, labels) for i, (text, labels) in enumerate(rows)]


def test_load_written_reads_labels_and_marks_rows_training_only(tmp_path: Path) -> None:
    rows = [
        {"id": "w-1", "text": "It might be fixed soon.", "context": "Broken again!", "labels": ["HE"]},
        {"id": "w-2", "text": "Fixed at 10:40; sorry.", "context": "", "labels": []},
    ]
    text = "\n".join(json.dumps(r) for r in rows) + "\n\n"  # a trailing blank line is skipped
    (tmp_path / "replies_a.jsonl").write_text(text, encoding="utf-8")
    loaded = cr.load_written(tmp_path)
    assert [e.id for e in loaded] == ["w-1", "w-2"]
    assert loaded[0].labels == frozenset({"hedging"})  # the two-letter code is read as the family
    assert {e.split for e in loaded} == {cr.WRITTEN}  # never train/val/test: never scored
    assert cr.load_written(tmp_path / "absent") == []


def test_an_unknown_family_in_a_written_row_is_refused(tmp_path: Path) -> None:
    row = {"id": "w-1", "text": "x", "context": "", "labels": ["sarcasm"]}
    (tmp_path / "replies_a.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sarcasm"):
        cr.load_written(tmp_path)


def test_the_committed_written_replies_load() -> None:
    written = cr.load_written(ROOT / "data" / "coach" / cr.WRITTEN)
    assert len(written) >= 400
    assert all(e.text.strip() and e.context.strip() for e in written)
    assert sum(not e.labels for e in written) >= 100  # clean rows teach the heads what is not a fault


def test_written_rows_weigh_in_the_fit_but_are_never_held_out(real: list[Example]) -> None:
    written = [_example(100 + i, HEDGE[i % 2], frozenset({"hedging"}), cr.WRITTEN) for i in range(4)]
    evs = [cr.reply_evidence(e) for e in real]
    labels = {"hedging": np.array(["hedging" in e.labels for e in real])}
    groups = [e.group for e in real]
    hedging = frozenset({"hedging"})
    light = cr.Fixed.of([], written, ("hedging",), share=0.01, used_by=hedging)
    heavy = cr.Fixed.of([], written, ("hedging",), share=3.0, used_by=hedging)
    assert light.weights(len(real), "hedging").tolist() == [1.0] * len(real) + [0.01] * 4
    oof_light = cr.out_of_fold(evs, labels, groups, light)
    oof_heavy = cr.out_of_fold(evs, labels, groups, heavy)
    for c in cr.C_GRID:
        assert oof_heavy[c]["hedging"].shape == (len(real),)  # one score per real reply, none for written
    hedged = labels["hedging"]
    c = cr.C_GRID[0]
    # more weight on written hedges makes the held-out real hedges score higher: the rows are really used
    assert oof_heavy[c]["hedging"][hedged].mean() > oof_light[c]["hedging"][hedged].mean()


def test_a_head_the_written_rows_do_not_teach_scores_as_without_them(real: list[Example]) -> None:
    """The other families' numbers stay those of real replies alone (weight 0, and out of the vocabulary)."""
    written = [_example(200 + i, HEDGE[i % 2], frozenset({"hedging"}), cr.WRITTEN) for i in range(4)]
    evs = [cr.reply_evidence(e) for e in real]
    labels = {"hedging": np.array(["hedging" in e.labels for e in real])}
    groups = [e.group for e in real]
    taught_elsewhere = cr.Fixed.of([], written, ("hedging",), share=1.0, used_by=frozenset({"double_talk"}))
    without = cr.Fixed.of([], [], ("hedging",))
    assert taught_elsewhere.weights(2, "hedging").tolist() == [1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    got = cr.out_of_fold(evs, labels, groups, taught_elsewhere)
    want = cr.out_of_fold(evs, labels, groups, without)
    for c in cr.C_GRID:
        np.testing.assert_allclose(got[c]["hedging"], want[c]["hedging"], atol=1e-4)


def test_a_broken_written_row_names_its_file_and_line(tmp_path: Path) -> None:
    good = json.dumps({"id": "w-1", "text": "x", "context": "", "labels": []})
    (tmp_path / "replies_a.jsonl").write_text(good + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"replies_a\.jsonl:2"):
        cr.load_written(tmp_path)


def test_a_judged_rounds_real_rows_teach_every_head_and_shape_the_vocabulary(real: list[Example]) -> None:
    """A new corpus round judged out of fold (scripts/coach_oof.py --new-ids) trains like any real reply,
    unlike the written rows: full weight in every head, and its words in the TF-IDF vocabulary."""
    said = "Your kayak deposit was kept by the kayak host."
    rows = [_example(300 + i, said, frozenset({"blame_or_excuse"})) for i in range(2)]
    as_round = cr.Fixed.of([], [], ("hedging", "blame_or_excuse"), real=rows)
    as_written = cr.Fixed.of([], rows, ("hedging", "blame_or_excuse"), used_by=frozenset({"hedging"}))
    scored = [cr.reply_evidence(e) for e in real]
    assert "kayak" in as_round.vocabulary(scored).vocabulary
    assert "kayak" not in as_written.vocabulary(scored).vocabulary
    assert as_round.weights(len(real), "blame_or_excuse")[-2:].tolist() == [1.0, 1.0]
    assert as_round.labels["blame_or_excuse"].tolist() == [True, True]
    assert as_written.weights(len(real), "blame_or_excuse")[-2:].tolist() == [0.0, 0.0]


def test_the_vocabulary_cut_is_the_same_whatever_order_the_replies_come_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Retraining on the same corpus must give the same heads on any machine: terms tied at the cut are
    kept by name, not by the sort kernel's whim, and the most frequent terms are always kept."""
    monkeypatch.setattr(cr, "MAX_FEATURES", 4)
    monkeypatch.setattr(cr, "NGRAMS", (1, 1))
    docs = ["refund refund today", "refund today", "zebra apple", "zebra apple mango", "mango kiwi", "kiwi"]
    kept = cr.top_terms(docs)
    assert kept == ["apple", "kiwi", "mango", "refund"]  # refund (3) first, then the first three tied at 2
    assert cr.top_terms(list(reversed(docs))) == kept
    assert "today" not in kept and "zebra" not in kept  # tied at 2, cut by name


def test_the_drafts_the_heads_learn_from_read_the_same_on_any_day() -> None:
    """Accord's own drafts are training rows; their dates must not follow the clock, or retraining the same
    corpus on another weekday changes the vocabulary and the heads."""
    with clock.frozen(datetime(2027, 3, 1, 9, 0, tzinfo=UTC)):
        monday = cr.draft_texts()
    with clock.frozen(datetime(2027, 8, 13, 16, 0, tzinfo=UTC)):
        friday = cr.draft_texts()
    assert monday == friday
    assert any("Monday 7 December at 5 pm" in t for t in monday)


def test_a_blend_that_wins_by_a_reply_or_two_loses_to_the_simpler_one() -> None:
    """Out-of-fold recall that differs by one or two replies is noise: the smaller C and the smaller tuned
    weight are kept, so the head's structure columns (a date named, a step given) keep their say."""
    positives = 300
    recall = {(1.0, 0.25): 210 / positives, (1.0, 0.5): 211 / positives, (3.0, 0.0): 180 / positives}
    assert cr.simplest_best(recall, positives) == (1.0, 0.25)
    recall[(10.0, 0.5)] = 214 / positives  # four replies more than (1.0, 0.25): a real win
    assert cr.simplest_best(recall, positives) == (10.0, 0.5)
    assert cr.simplest_best({1.0: 0.5, 3.0: 0.5}, 10) == 1.0


def test_the_corpus_loader_keeps_a_reply_whose_text_holds_a_line_separator(tmp_path: Path) -> None:
    """An App Store reply carried U+2028 and broke the refit with a JSON error: JSON lines end at "\\n"."""
    (tmp_path / "texts").mkdir()
    reply = {"id": "as-x-r1", "text": "Hello!\u2028We are sorry.\x0cPlease write to us.", "group": "as-x-t1"}
    line = json.dumps(reply, ensure_ascii=False) + "\n"
    (tmp_path / "texts" / "x.jsonl").write_text(line, encoding="utf-8")
    label = {"id": "as-x-r1", "labels": ["non_apology"], "split": "train"}
    (tmp_path / "labels.jsonl").write_text(json.dumps(label) + "\n", encoding="utf-8")
    (example,) = load_corpus(tmp_path)
    assert example.text == reply["text"] and example.labels == frozenset({"non_apology"})
