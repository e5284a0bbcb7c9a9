"""A whole case in the browser (issue 20): acknowledge with the drafted reply, run call mode to the end,
propose an offer, ask for and record the client's confirmation, close; a blocked send and its override;
warnings on a serious case asked about once; triage's proposal accepted. Debian's Chromium, real server."""

from __future__ import annotations

import re
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from accord.cases import facts, steps
from accord.cases import service as cases
from accord.cases.models import Case
from accord.clients import service as clients
from accord.db import session_scope
from accord.intake import service as intake
from accord.triage import service as triage
from accord.users.models import User
from tests.web.test_browser import ARTIFACTS, CHROMIUM, browser, page  # noqa: F401 - pytest fixtures

pytestmark = [pytest.mark.browser]
try:
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - playwright is a dev dependency
    pytestmark.append(pytest.mark.skip(reason="playwright-python is not installed"))
if not Path(CHROMIUM).exists():  # pragma: no cover - the browser tests need Debian's chromium
    pytestmark.append(pytest.mark.skip(reason="Debian's chromium is not installed at /usr/bin"))

THREAT = (
    "You charged our card twice for October, 4,200 each time. This is the second billing mistake this "
    "year. Refund the duplicate by Friday or we will cancel and our lawyer will be in touch."
)
RUDE = "As I already explained, please calm down. The refund will arrive by Friday."
HEDGED = (
    "Hi Carla, apparently there may have been some issues with the billing, which were perhaps not ideal. "
    "We will look into it at some point."
)
_names = count(1)
CONTRAST_JS = """sel => {
  const s = getComputedStyle(document.querySelector(sel));
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  const a = lum(rgb(s.color)), b = lum(rgb(s.backgroundColor));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""
SLOW = 30_000  # the first coach check and draft load the coach's model on a busy machine


def _open_case(*, severity: int, status: str = "new", remedy: str = "") -> str:
    """A fresh client with a contact and a billing case with the client's email, walked to `status`."""
    with session_scope() as db:
        client = clients.add_client(
            db,
            actor=None,
            workspace_id=1,
            name=f"Lakeside Optics {next(_names)}",
            monthly_value=2400,
            expectations="Invoices on the 1st; questions answered within a working day.",
            termination_terms="Either side may end it with 60 days' written notice.",
        )
        clients.add_contact(db, actor=None, client=client, name="Carla Diaz", email="carla@lakeside.example")
        case = cases.open_case(
            db,
            actor=None,
            client=client,
            title="Card charged twice",
            severity=severity,
            category="billing",
            requested_remedy=remedy,
        )
        intake.add_inbound_message(db, actor=None, case=case, body=THREAT, sender="carla@lakeside.example")
        _walk(db, case, status)
        return case.reference


def _walk(db: Session, case: Case, status: str) -> None:
    """Prepare the case the way a careful spokesperson would, up to `status` (P9)."""
    path = ["acknowledged", "preparing", "in_conversation"]
    if status == "new":
        return
    for run in steps.list_steps(db, actor=None, case=case):
        if run.required_before and run.state == "open":
            steps.complete_step(db, actor=None, case=case, step_id=run.step_id, notes="Checked.")
    for target in path[: path.index(status) + 1]:
        cases.move_case(db, actor=None, case=case, status=target)


def _shot(tab: Page, name: str) -> None:
    """The viewport only (what a person sees first), not the whole page."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_acknowledge_with_the_drafted_reply_ticks_the_step(page: Page) -> None:  # noqa: F811
    """P6: the band says what to do; the composer's draft goes out and ticks "Acknowledge quickly"."""
    reference = _open_case(severity=2)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/cases/{reference}")
    band = page.locator("#band")
    expect(band.locator("#next-action h2")).to_have_text("Acknowledge now")
    expect(page.locator("#move-status")).to_have_value("")  # nothing preselected in the Move list
    _shot(page, "case-page-above-the-fold")
    band.get_by_role("button", name="Acknowledge now: draft the reply").click()
    expect(page.locator("#reply-body")).to_contain_text("Hi Carla", timeout=SLOW)  # the composer's draft
    expect(page.locator("#coach .coachhead")).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Send reply").click()
    outbound = page.locator("#messages .msg.outbound")
    expect(outbound).to_have_count(1)
    expect(outbound.locator(".score")).to_contain_text(re.compile(r"coach \d+/100"))  # the score is kept
    step = page.locator("#step-acknowledge_quickly")
    expect(step).to_have_class("step done")
    expect(step).to_contain_text("Ticked by itself")
    expect(page.locator(".casehead .status")).to_have_text("acknowledged")
    expect(band.locator("#next-action h2")).to_contain_text("Prepare:")
    gate = page.locator("#gate")
    expect(gate).to_contain_text("A solution can be proposed once")
    gate.locator("a").first.click()  # the gate's step opens and lands below the sticky header
    target = page.locator(gate.locator("a").first.get_attribute("href") or "#none")
    expect(target.locator("details").first).to_have_attribute("open", "")
    header = page.locator(".topbar").bounding_box()
    landed = target.bounding_box()
    assert header is not None and landed is not None and landed["y"] >= header["height"]


def _contrast(tab: Page, selector: str) -> float:
    """WCAG contrast ratio of an element's text on its background."""
    return float(tab.evaluate(CONTRAST_JS, selector))


def _run_the_call(page: Page, reference: str) -> None:  # noqa: F811
    page.goto(f"/cases/{reference}")
    expect(page.locator("#next-action h2")).to_have_text("Call the client")
    page.locator("#next-action").get_by_role("link", name="Call the client").click()
    expect(page.locator("#call-client")).to_contain_text("60 days' written notice")  # P1, P20
    expect(page.locator("#call-asks")).to_contain_text("Refund the duplicate")
    expect(page.locator("#call-messages mark.ev").first).to_be_visible()  # triage evidence, if any
    expect(page.locator("#call-remedies")).to_contain_text("%")  # limits with their unit (P19)
    expect(page.locator("#call-timer")).to_have_text(re.compile(r"^\d+:\d\d$"))
    assert _contrast(page, "#call-save") >= 4.5, "Save notes must be readable on the dark call screen"
    assert _contrast(page, "#call-next") >= 4.5
    _shot(page, "call-mode")
    for number in range(1, 7):
        expect(page.locator(".stage")).to_contain_text(f"Step {number} of 6")
        page.locator("#call-notes").press_sequentially(f"Said {number}")
        expect(page.locator("#notes-status")).to_contain_text("Notes saved at")  # saved as you type
        page.locator("#call-notes").press("Control+Enter")  # save and next
    expect(page.locator("h1")).to_have_text("Call complete")
    expect(page.locator(".summary")).to_contain_text("Said 6")


def test_a_case_from_the_call_to_the_close(page: Page) -> None:  # noqa: F811
    """P12, P13, P19, P23: call mode to the end, an offer, the client's yes, the close; read-only after."""
    reference = _open_case(severity=3, status="in_conversation", remedy="Refund the duplicate payment")
    _triage_the_thread(reference)
    _run_the_call(page, reference)
    page.goto(f"/cases/{reference}")
    expect(page.locator("#next-action h2")).to_have_text("Propose a solution")
    offers = page.locator("#offers")
    expect(offers.locator(".solutions li").first).to_contain_text(re.compile(r"limit [\d.]+ \S+"))
    offers.locator("select[name=solution_id]").select_option(index=0)
    offers.locator("input[name=amount]").fill("1")
    offers.get_by_role("button", name="Propose").click()
    expect(page.locator("#offers .offers li").first).to_contain_text(re.compile(r"1 \S+ of limit"))
    page.select_option("#move-status", "resolution_proposed")
    page.locator("#move").get_by_role("button", name="Move").click()
    expect(page.locator("#next-action h2")).to_have_text("Ask to confirm")
    page.get_by_role("button", name="Ask the client to confirm").click()
    expect(page.locator("#confirmation")).to_contain_text("/confirm/")
    page.reload()
    expect(page.locator(".casehead .status")).to_have_text("awaiting confirmation")
    page.fill("#call-confirm-note", "Carla says the refund arrived")
    page.get_by_role("button", name="Record their yes").click()
    expect(page.locator(".casehead .status")).to_have_text("resolved")
    expect(page.locator("#step-client_confirms")).to_have_class("step done")
    expect(page.locator("#step-client_confirms")).to_contain_text("Ticked by itself")
    _read_only_with_reopen(page, "Close the case")
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".casehead .status")).to_have_text("closed")
    _read_only_with_reopen(page, None)


def _read_only_with_reopen(page: Page, close: str | None) -> None:  # noqa: F811
    """A settled case offers reopen and notes, not the reply box, offers or advice."""
    expect(page.locator("#reply-form")).to_have_count(0)
    expect(page.locator("#offers form")).to_have_count(0)
    expect(page.locator("[aria-label=Advice]")).to_have_count(0)
    expect(page.locator("#move").get_by_role("button", name="Reopen")).to_be_visible()
    expect(page.locator("#move-status")).to_have_count(0)  # nothing to preselect wrongly
    expect(page.locator("#note-body")).to_be_visible()
    if close:
        expect(page.get_by_role("button", name=close)).to_be_visible()


def _triage_the_thread(reference: str) -> None:
    """Triage reads the lawyer threat (evidence for call mode) and asks for a legal review (P11); our
    lawyer was consulted, so a person records the review as done and finishes the steps it added."""
    with session_scope() as db:
        case = cases.get_case(db, actor=None, workspace_id=1, reference=reference)
        for message in intake.list_messages(db, actor=None, case=case):
            triage.triage_message(db, message_id=message.id)
        assert case.legal_review == "required"
        facts.set_legal_review(db, actor=None, case=case, state="done")
        for run in steps.list_steps(db, actor=None, case=case):
            if run.required_before and run.state == "open":
                steps.complete_step(db, actor=None, case=case, step_id=run.step_id, notes="Lawyer says fine.")


def test_a_blocked_send_waits_for_a_reason_on_the_timeline(page: Page) -> None:  # noqa: F811
    """P17: a blocking finding keeps Send off until a reason is given; the reason is recorded."""
    reference = _open_case(severity=2, status="acknowledged")
    page.goto(f"/cases/{reference}")
    page.locator("#reply-body").press_sequentially(RUDE)
    expect(page.locator("#coach .finding.lvl-block").first).to_be_visible(timeout=SLOW)
    send = page.get_by_role("button", name="Send reply")
    expect(send).to_be_disabled()
    expect(page.locator("#send-hint")).to_contain_text("give a reason")
    page.fill("#override-reason", "Carla asked us to be this direct")
    expect(send).to_be_enabled()
    send.click()
    expect(page.locator("#messages .msg.outbound")).to_contain_text("calm down")
    expect(page.locator("#timeline")).to_contain_text("coach override")


def test_warnings_on_a_serious_case_are_confirmed_once_on_the_server(page: Page) -> None:  # noqa: F811
    """P5: a reply with warnings to a client who threatened a lawyer asks once; the text is kept."""
    reference = _open_case(severity=4, status="acknowledged")
    page.goto(f"/cases/{reference}")
    page.fill("#reply-body", HEDGED)
    page.get_by_role("button", name="Send reply").click()
    refusal = page.locator("#reply-refusal")
    expect(refusal).to_contain_text("Look at them once more", timeout=SLOW)
    expect(page.locator("#reply-body")).to_have_value(HEDGED)
    expect(page.locator("#messages .msg.outbound")).to_have_count(0)
    page.get_by_role("button", name="Yes, send it as it is").click()
    expect(page.locator("#messages .msg.outbound .score")).to_contain_text(re.compile(r"coach \d+/100"))


def test_triage_proposes_and_a_person_accepts(page: Page, demo: object) -> None:  # noqa: F811
    """P4: the proposal shows with its evidence; Accept records the decision."""
    with session_scope() as db:
        owner = db.query(User).filter(User.role == "owner").first()
        client = clients.add_client(db, actor=None, workspace_id=1, name=f"Pinecrest Dental {next(_names)}")
        case = cases.open_case(db, actor=owner, client=client, title="Charged twice")
        message = intake.add_inbound_message(db, actor=None, case=case, body=THREAT, sender="a@pine.example")
        triage.triage_message(db, message_id=message.id)
        reference = case.reference
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/cases/{reference}")
    proposal = page.locator("#triage-proposal")
    expect(proposal).to_contain_text("Triage proposes")
    _shot(page, "case-page-serious-above-the-fold")
    expect(proposal.locator(".evidence li").first).to_be_visible()
    proposal.get_by_role("button", name="Accept").click()
    expect(page.locator("#triage-proposal")).to_contain_text("decided by a person")
    expect(page.locator("#timeline")).to_contain_text("triage accepted")


def test_the_case_page_and_call_mode_on_a_phone(page: Page) -> None:  # noqa: F811
    """390 px wide: nothing scrolls sideways; screenshots for a look."""
    reference = _open_case(severity=3, status="in_conversation")
    page.set_viewport_size({"width": 390, "height": 844})
    for url, name in (
        (f"/cases/{reference}", "case-page-390"),
        (f"/cases/{reference}/call", "call-mode-390"),
    ):
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px on a phone"
        _shot(page, name)
