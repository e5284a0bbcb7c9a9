"""The learnt judge and context-aware completeness as a user meets them (issue 19; P13, P16, P17, P22)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from accord.coach import CaseContext, check_reply, judge, structure
from accord.coach.rewrite import suggest
from accord.coach.rules import check_with, evidence, mask_quotes, phrase_matches
from tests.playbook.helpers import accord

SRC = Path(__file__).resolve().parents[2] / "src" / "accord"
THIN_REPLY = "Thanks for your message. The team is aware."
CLIENT = "The booking page lost all our Monday appointments and nobody has called us back."
REAL_LIKE = [
    "Dear Guest, we apologise for any inconvenience caused during your stay. Your feedback has been "
    "shared with the concerned department. Hopefully we will see you again soon.",
    "Hi, we regret the trouble. As mentioned earlier, refunds take 5-7 days as per bank policy. Please "
    "note that we cannot process it faster. The delay was due to a technical glitch at the bank's end.",
    "Hello Sam, I am sorry we charged you twice in October. The refund went out this morning, and I will "
    "email you the receipt by 5 pm today.",
]


def _missing(found: list) -> set[str]:
    return {f.rule for f in found if f.rule in judge.COMPLETENESS}


def test_completeness_stays_quiet_without_the_clients_message() -> None:
    assert _missing(check_reply(THIN_REPLY, whole_reply=True)) == set()
    assert (
        _missing(check_reply(THIN_REPLY, case_context=CaseContext(fault="ours"), whole_reply=True)) == set()
    )
    with_message = check_reply(THIN_REPLY, case_context=CaseContext(client_message=CLIENT), whole_reply=True)
    assert "missing_next_step" in _missing(with_message)


@pytest.mark.parametrize(
    "reply",
    [
        "Sorry about this. Could you send us your booking reference so we can check it?",
        "I'm sorry to hear that. Please call me directly on 020 7946 0000 and we will sort it out.",
        "Thanks for telling us. Can we set up a call this week to go through what happened?",
    ],
)
def test_a_short_reply_asking_for_details_or_a_call_is_a_next_step(reply: str) -> None:
    found = check_reply(reply, case_context=CaseContext(client_message=CLIENT), whole_reply=True)
    assert "missing_next_step" not in {f.rule for f in found if f.severity == "warn"}


@pytest.mark.parametrize("reply", REAL_LIKE)
def test_every_finding_quotes_its_words_and_proposes_a_rewrite(reply: str) -> None:
    found = check_reply(reply, case_context=CaseContext(client_message=CLIENT))
    for f in found:
        assert reply[f.start : f.end] == f.text
        if f.start != f.end:
            assert f.suggestion and f.message
        if f.confidence is not None:
            assert 0.0 <= f.confidence <= 1.0


def test_warn_only_above_the_calibrated_threshold_and_info_below() -> None:
    heads = judge.load_heads()
    if heads is None:
        pytest.skip("the MiniLM weights are not installed: the phrase rules decide alone")
    seen = 0
    for reply in REAL_LIKE:
        for f in check_reply(reply, case_context=CaseContext(client_message=CLIENT), whole_reply=True):
            if f.confidence is None or f.severity == "block":
                continue
            # a whole reply's language families are judged by the reply-level heads, with their thresholds
            by_reply = heads.reply is not None and f.rule in heads.reply.families
            warn_at = heads.reply.warn_at if heads.reply is not None and by_reply else heads.warn_at
            if not by_reply and not heads.trusted(f.rule):
                continue
            seen += 1
            assert (f.severity == "warn") == (f.confidence >= warn_at[f.rule]), f
    assert seen > 0


def test_the_bad_real_style_replies_get_warnings_and_the_good_one_does_not() -> None:
    ctx = CaseContext(client_message=CLIENT)
    warned = [{f.rule for f in check_reply(r, case_context=ctx) if f.severity == "warn"} for r in REAL_LIKE]
    assert warned[0] and warned[1]
    assert not warned[2] & set(judge.LANGUAGE)


def test_rewrites_edit_the_sentence_itself_where_they_can() -> None:
    ctx = CaseContext(concern="the booking page lost your appointments", next_update="Thursday at 3 pm")
    assert suggest("hedging", "We'll try to fix it as soon as possible.", ctx) == (
        "Rewrite: 'We will fix it by Thursday at 3 pm.'"
    )
    assert "the booking page lost your appointments" in suggest(
        "non_apology", "We apologise for any inconvenience caused.", ctx
    )
    assert suggest("double_talk", "Your comments have been actioned.", ctx).startswith("Say it plainly")


def test_a_rewrite_with_no_known_concern_still_reads_as_a_sentence() -> None:
    """Outside a case (`accord coach check FILE`) the concern is unknown: the model lines used to fill in
    "what went wrong" and told users to write "We got what went wrong wrong" (P14, P16)."""
    for ctx in (None, CaseContext(client_message=CLIENT)):
        blame = suggest("blame_or_excuse", "It was the courier's fault.", ctx)
        assert blame == "Own it: 'We got this wrong, and here is how we are putting it right.'"
        recap = suggest("condescension", "As I already explained, the invoice is correct.", ctx)
        assert "what went wrong" not in recap and "{" not in recap
        sorry = suggest("non_apology", "We apologise for any inconvenience caused.", ctx)
        assert "that ." not in sorry and "that what went wrong" not in sorry and "{" not in sorry


def test_coach_eval_prints_per_family_metrics(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    rows = [
        {
            "text": "Please calm down. As I already explained, the invoice is correct.",
            "expect": ["condescension"],
        },
        {"text": "I am sorry we charged you twice. The refund reaches your card by Friday.", "expect": []},
        {"text": THIN_REPLY, "expect": ["missing_next_step"], "context": CLIENT},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = accord(tmp_path, "coach", "eval", "--data", str(data), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rows"] == 3 and report["clean_rows"] == 1
    assert report["families"]["condescension"]["recall"] == 1.0
    assert report["families"]["missing_next_step"]["recall"] == 1.0
    assert set(judge.LANGUAGE) <= set(report["families"])


def test_coach_eval_names_the_bad_line(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text('{"text": "fine", "expect": []}\n{not json\n', encoding="utf-8")
    result = accord(tmp_path, "coach", "eval", "--data", str(data), "--json")
    assert result.returncode == 1
    assert "Line 2" in result.stderr and "Traceback" not in result.stderr


def test_coach_eval_reads_a_text_holding_a_line_separator(tmp_path: Path) -> None:
    """Exports of real replies carry U+2028 and form feeds inside a text (an App Store reply did); JSON
    lines end at a newline only, so such a row is one row, not two broken ones."""
    data = tmp_path / "rows.jsonl"
    rows = [
        {"text": "Hello!\u2028We are sorry to hear that.\x0cPlease contact us in the app.", "expect": []},
        {"text": "I am sorry we charged you twice. The refund reaches your card by Friday.", "expect": []},
    ]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = accord(tmp_path, "coach", "eval", "--data", str(data), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == 2


def test_heads_are_small_and_run_without_torch_or_scikit_learn() -> None:
    total = sum(p.stat().st_size for p in SRC.glob("**/artifacts/*") if p.is_file())
    assert total <= 25 * 1024 * 1024
    code = (
        "import sys; from accord.coach import check_reply, CaseContext; "
        f"check_reply({REAL_LIKE[0]!r}, case_context=CaseContext(client_message='x y z'));"
        "print(sorted(m for m in ('torch', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_heads_trained_on_another_encoder_layer_are_not_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The heads read the encoder's layer-3 states (half the encoder: issue 19's 150 ms budget); heads fitted
    on other states would score nonsense, so the coach falls back to its phrase rules instead."""
    if judge.load_heads() is None:
        pytest.skip("the MiniLM weights are not installed: the phrase rules decide alone")
    meta = json.loads(judge.META_FILE.read_text(encoding="utf-8"))
    assert meta["layer"] == judge.ENCODER_LAYER == judge.load_heads().layer  # type: ignore[union-attr]
    heads_file, meta_file = tmp_path / "judge.npz", tmp_path / "judge.json"
    heads_file.write_bytes(judge.HEADS_FILE.read_bytes())
    meta_file.write_text(json.dumps(meta | {"layer": 6}), encoding="utf-8")
    monkeypatch.setattr(judge, "HEADS_FILE", heads_file)
    monkeypatch.setattr(judge, "META_FILE", meta_file)
    judge.load_heads.cache_clear()
    try:
        assert judge.load_heads() is None
        found = check_reply(REAL_LIKE[0], case_context=CaseContext(client_message=CLIENT))
        assert "non_apology" in {f.rule for f in found} and all(f.confidence is None for f in found)
    finally:
        judge.load_heads.cache_clear()


def test_a_whole_reply_is_judged_by_the_reply_heads_and_quotes_the_phrase() -> None:
    """Issue 19: the judgement is per reply; the finding still quotes the words and proposes a rewrite."""
    heads = judge.load_heads()
    if heads is None or heads.reply is None:
        pytest.skip("the MiniLM weights are not installed: the phrase rules decide alone")
    reply = REAL_LIKE[0]
    (finding,) = [f for f in check_reply(reply, whole_reply=True) if f.rule == "non_apology"]
    assert finding.text == "apologise for any inconvenience caused" and finding.suggestion
    assert finding.severity == "warn"
    assert finding.confidence is not None and finding.confidence >= heads.reply.warn_at["non_apology"]


def test_a_trusted_phrase_warns_even_when_the_reply_head_hesitates() -> None:
    """A phrase the editor flagged almost every time on train+val ("we will do our best to") warns on its
    own; the same phrase, untrusted, is only a note while the head stays below its threshold (P17)."""
    heads = judge.load_heads()
    if heads is None or heads.reply is None:
        pytest.skip("the MiniLM weights are not installed: the phrase rules decide alone")
    reply = (
        "Thank you for writing to us about the delay with your order. We will do our best to get the "
        "parcel to you, and our team is looking at what happened in the warehouse."
    )
    hesitant = replace(heads.reply, warn_at={**heads.reply.warn_at, "hedging": 2.0})
    assert heads.reply.trusted.get("hedging"), "the shipped heads trust some hedging phrases"

    def hedging(reply_head: object) -> list[str]:
        found = check_with(replace(heads, reply=reply_head), reply, whole_reply=True)
        return [f.severity for f in found if f.rule == "hedging" and f.text == "We will do our best to"]

    assert hedging(hesitant) == ["warn"]
    assert hedging(replace(hesitant, trusted={})) == ["info"]


PAYMENT = "Hi Sam, thank you for reaching out about the failed payment on your account. "
# The learnt line sits close to these wordings: "Our team will get back to you soon with an update on the
# refund. We appreciate your patience." scored 0.88 with the session 7-8 heads and 0.77 with session 9's
# (hedging warns from 0.80); "be in touch soon" scores 0.95 and 0.90. The structure columns are what lift
# either from about 0.1 (see the test below).
SOON_NO_STEP = (
    PAYMENT + "Our team will be in touch soon with an update on the refund. We appreciate your patience."
)
SOON_AFTER_A_STEP = (
    PAYMENT + "Please share the transaction ID at support@example.com and we will get back to you soon. "
    "We appreciate your patience."
)
SOON_WITH_A_DATE = (
    PAYMENT
    + "Our team will get back to you soon with an update on the refund, by 5 pm tomorrow at the latest. "
    "We appreciate your patience."
)


def test_structure_sees_a_vague_promise_with_no_step_or_date_anywhere_in_the_reply() -> None:
    """The editor's line for hedging (data/coach/README.md): "soon" is hedging unless the reply also gives a
    step the customer can take now or a time; the n-grams see "soon" in all three replies alike."""
    flags = [
        structure.features(mask_quotes(r))["vague_time_no_step"] for r in (SOON_NO_STEP, SOON_AFTER_A_STEP)
    ]
    assert flags == [1.0, 0.0]
    assert structure.features(SOON_WITH_A_DATE)["vague_time_no_step"] == 0.0
    assert structure.features(SOON_WITH_A_DATE)["vague_time"] == 1.0


# How much a structure column must raise a reply head's confidence on the examples built for it. Why not
# "under the threshold without it": which inputs carry a warning is not something a user sees, and a refit
# flipped that at the third decimal (0.831 against 0.830) while every warning stayed the same; the lift
# still fails if a refit stops using the column (decision written before the 6,116-row refit's tests ran).
STRUCTURE_LIFT = 0.05


def test_a_promise_of_soon_with_no_step_is_hedging_and_one_with_a_step_or_a_date_is_not() -> None:
    """Issue 19: the reply head warns on "we will be in touch soon" with nothing else to go on, quoting
    the promise (the same words with a step stay clean), and the structure columns carry real weight in
    that warning: without them the confidence is clearly lower (STRUCTURE_LIFT)."""
    heads = judge.load_heads()
    if heads is None or heads.reply is None:
        pytest.skip("the MiniLM weights are not installed: the phrase rules decide alone")
    (finding,) = [f for f in check_reply(SOON_NO_STEP, whole_reply=True) if f.rule == "hedging"]
    assert finding.severity == "warn" and "in touch soon" in finding.text and finding.suggestion
    for reply in (SOON_AFTER_A_STEP, SOON_WITH_A_DATE):
        assert not [
            f for f in check_reply(reply, whole_reply=True) if f.rule == "hedging" and f.severity == "warn"
        ]
    masked = mask_quotes(SOON_NO_STEP)
    ev = evidence(masked, judge.judge(heads, masked).emb, phrase_matches(masked))
    blind = heads.reply.confidences(replace(ev, structure={}))["hedging"]
    seen = heads.reply.confidences(ev)["hedging"]
    assert heads.reply.warn_at["hedging"] <= seen and seen - blind >= STRUCTURE_LIFT


BLAMES_THE_BANK = (
    "Hi Ravi, your refund is held up owing to a delay at the partner bank. It will reflect in your account "
    "once they release it."
)
OWNS_THE_FAULT = (
    "Hi Ravi, your refund is held up owing to a delay in our payout run; that was our mistake. It will "
    "reflect in your account once we release it."
)


@pytest.mark.parametrize(
    ("reply", "owns"),
    [
        ("Your payment failed due to a bank outage; we did not receive the amount.", False),
        ("We didn't get any request from you, because of which the order lapsed.", False),
        ("Due to a rota mix-up we didn't call you back on Friday, and that is on us.", True),
        ("Because of a holiday backlog we did not reply for a week.", True),
    ],
)
def test_a_denial_is_not_owning_the_fault_but_a_missed_duty_is(reply: str, owns: bool) -> None:
    """Issue 19 (blame_or_excuse, P14): "we did not receive it" puts the failure elsewhere, so a reply that
    gives a cause and only denies still counts as an excuse; "we didn't call you back" owns a duty we
    missed, so the cause beside it is an explanation."""
    assert structure.features(reply)["cause_no_fault"] == (0.0 if owns else 1.0)


def test_a_cause_with_no_fault_owned_is_an_excuse_and_one_that_owns_the_fault_is_not() -> None:
    """Issue 19: a reply that puts the failure on the bank and owns nothing gets a blame_or_excuse warning;
    the same cause told with "that was our mistake" does not, and the cause_no_fault structure column
    carries real weight in the first warning (STRUCTURE_LIFT)."""
    heads = judge.load_heads()
    if heads is None or heads.reply is None:
        pytest.skip("the MiniLM weights are not installed: the phrase rules decide alone")
    assert structure.features(BLAMES_THE_BANK)["cause_no_fault"] == 1.0
    assert structure.features(OWNS_THE_FAULT)["cause_no_fault"] == 0.0

    def warned(reply: str) -> bool:
        found = check_reply(reply, whole_reply=True)
        return any(f.rule == "blame_or_excuse" and f.severity == "warn" for f in found)

    assert warned(BLAMES_THE_BANK) and not warned(OWNS_THE_FAULT)
    masked = mask_quotes(BLAMES_THE_BANK)
    ev = evidence(masked, judge.judge(heads, masked).emb, phrase_matches(masked))
    blind = heads.reply.confidences(replace(ev, structure={**ev.structure, "cause_no_fault": 0.0}))
    seen = heads.reply.confidences(ev)["blame_or_excuse"]
    assert (
        heads.reply.warn_at["blame_or_excuse"] <= seen and seen - blind["blame_or_excuse"] >= STRUCTURE_LIFT
    )


def _spans(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in judge.sentences(text)]


@pytest.mark.parametrize(
    ("reply", "dated"),
    [
        ("We will be in touch soon, by 5 pm tomorrow at the latest, with the refund date.", True),
        ("Our engineer will call you shortly, before noon on Friday.", True),
        ("We will be in touch soon. The invoice is due by Friday.", False),  # it dates something else
        ("We will try to fix it soon, by Friday at the latest.", False),  # the effort itself is hedged
        ("We'll get back to you as soon as possible.", False),
    ],
)
def test_a_soon_that_a_deadline_dates_is_a_commitment(reply: str, dated: bool) -> None:
    """P17 and the families file: a promise with a firm time can be held to; "soon" alone, or an effort
    that is only tried, cannot."""
    assert structure.deadline_keeps_promise(reply, _spans(reply)) is dated


@pytest.mark.parametrize(
    ("reply", "owned"),
    [
        ("The refund is late owing to a delay in our payout run; that was our mistake.", True),
        ("It went out late because of a missed step, and we take full responsibility for it.", True),
        (
            "That was our mistake. The refund is late owing to a delay at the partner bank.",
            False,
        ),  # owned apart
        ("The refund is late owing to a delay at the partner bank.", False),
        ("We are sorry the refund is late; that was our mistake.", False),  # no cause given at all
    ],
)
def test_a_cause_owned_in_its_own_sentence_is_an_explanation(reply: str, owned: bool) -> None:
    """P14 and the families file: blame_or_excuse is a cause put elsewhere "instead of owning it"; a cause
    told with the fault owned beside it explains, and a fault owned in another sentence does not cover it."""
    assert structure.cause_is_owned(reply, _spans(reply)) is owned


def test_a_long_running_desk_keeps_checking_after_the_sentence_cache_fills() -> None:
    """A desk that has checked more sentences than the cache holds still judges every reply alike (the
    tuned vectors of a sentence seen long ago were evicted while new ones were encoded)."""
    first = [f.rule for f in check_reply(REAL_LIKE[0], whole_reply=True)]
    judge.set_cache_size(2)
    try:
        for reply in REAL_LIKE * 2:
            check_reply(reply, whole_reply=True)
        again = [f.rule for f in check_reply(REAL_LIKE[0], whole_reply=True)]
    finally:
        judge.set_cache_size(judge.CACHE_SIZE)
    assert again == first


# Replies written the way the process asks (P13-P17): the failure named, the fault owned, a dated step.
OWNING_REPLIES = (
    "I'm sorry we cancelled your booking without warning you; that was our mistake. I have rebooked you for "
    "Friday at 10 am and emailed the confirmation.",
    "Thanks for telling us. The booking was cancelled without warning you, and that was our mistake. I have "
    "rebooked you for Friday at 10 am and emailed the confirmation.",
    "We cancelled the booking without warning you, and that was our mistake. I have rebooked you for Friday "
    "at 10 am.",
    "I'm sorry your site was down this morning. It was our server update that broke it; I've rolled it back "
    "and added a check so it can't happen again. I'll call you at 3 pm to go through it.",
    "Sorry, we charged you twice for March. That was our billing error. The duplicate payment of 49 pounds "
    "is refunded today and you will see it within three working days.",
    "Hi Sam, you're right, the technician missed Tuesday's appointment and nobody called you. I apologise "
    "for that. He will be with you tomorrow between 8 and 10 am, and there is no call-out charge.",
    "We got your delivery date wrong and you waited in all day for nothing. I'm sorry. Your order is on the "
    "van now and the driver will call 30 minutes before arriving.",
    "Thank you for your patience. The error on your invoice was ours: we billed the old rate. I've corrected "
    "it and attached the new invoice; the difference will come off next month's bill.",
    "Hello Priya, I'm sorry the cake arrived damaged for your daughter's party. We packed it badly. A "
    "replacement will be delivered tomorrow at 11 and we have refunded the full price.",
)


@pytest.mark.parametrize("reply", OWNING_REPLIES)
def test_a_reply_that_owns_the_fault_and_gives_a_dated_step_is_no_excuse_hedge_or_lecture(reply: str) -> None:
    """Issue 19 (P14, P16, P17): the coach must not punish the replies the process teaches. One that names
    the failure, owns it ("that was our mistake", "we packed it badly") and gives a step with a time gets
    no blame_or_excuse, evasive_passive, double_talk, hedging or condescension warning: an excuse is a cause
    put elsewhere instead of owning it, and "you're right" or "I've booked Friday for you" talks down to no
    one. (Eighteenth session: a refit on 6,116 rows warned blame_or_excuse on four of these, its tuned
    network at weight 0.25 reading "our mistake" as an excuse, and was not shipped; the heads before
    warned condescension on three, until the written replies taught that head.)"""
    warned = {f.rule for f in check_reply(reply, whole_reply=True) if f.severity == "warn"}
    assert not warned & {"blame_or_excuse", "evasive_passive", "double_talk", "hedging", "condescension"}


# Short replies in the register of chat, DMs and social posts (nineteenth session, written by the team): each
# names the problem or asks for what it needs, and gives the client a step.
SHORT_CHANNEL_REPLIES = (
    "Hi Dana, that's not the service we want you to get. Can you DM us your order number so we can chase "
    "the courier today?",
    "We're sorry your parcel hasn't arrived yet. Please send us a DM with your tracking number and we'll "
    "look into it straight away.",
    "That's frustrating, and we're sorry. Our engineers are working on the outage now; we'll post here again "
    "by 3pm with an update.",
    "Sorry for the wait, Tom. I've refunded the £12 delivery charge to your card; it should show in 3-5 "
    "working days.",
    "Hi there, can you tell us which branch this was and roughly what time? We'd like to speak to the "
    "manager on duty.",
    "We got this wrong and we're sorry. I've rebooked your appointment for Thursday at 10am and emailed you "
    "the confirmation.",
    "Thanks for flagging this. The app crash on login is a bug on our side; a fix goes out in tomorrow's "
    "update.",
    "Hey Sam, sorry about the double charge. Please DM us the last four digits of the card and we'll get the "
    "duplicate reversed.",
    "I'm sorry our driver was rude to you. That's not acceptable. Could you DM me the date and time so I can "
    "raise it with his team leader?",
    "You're right, the invoice should have shown the discount. I've corrected it and sent the new copy to "
    "your inbox.",
    "Thanks Jo, we've passed this to our store team and the manager will call you before 5pm today.",
)


@pytest.mark.parametrize("reply", SHORT_CHANNEL_REPLIES)
def test_a_short_channel_reply_that_names_the_problem_and_gives_a_step_gets_no_warning(reply: str) -> None:
    """Issue 19 (P13, P16, P17): most replies a desk sends from chat or social are two lines. One that says
    what went wrong or asks for the detail it needs, and gives a step, must reach the client without a
    language warning: on a clean reply any warning teaches the user to ignore the coach."""
    warned = {f.rule for f in check_reply(reply, whole_reply=True) if f.severity == "warn"}
    assert not warned & set(judge.LANGUAGE)
