"""By-hand intake (P3): a pasted email goes through the mail parser, a review keeps its platform, stars
and link, the title is proposed from the text, and every message lands on the case's timeline."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accord.errors import Conflict, Invalid
from accord.intake import service as intake
from tests.helpers import create_agent, create_case, create_client, create_workspace, event_kinds

PASTED = """From: Ruth <ruth@acme.example>
Subject: RE: [ACC-9] Fwd: Crowns delivered late
Message-ID: <late-crowns@acme.example>

The crowns arrived two days late and we had to send three patients home.

> On Monday, you wrote:
> We ship tomorrow.
"""


@pytest.mark.parametrize(
    ("text", "subject", "title"),
    [
        ("", "Re: Fwd: Invoice twice [ACC-12]", "Invoice twice"),
        ("Your site is down again! We lose orders.", "", "Your site is down again!"),
        ("\n\n  first line only\nsecond", "", "first line only"),
        ("word " * 40, "", ("word " * 16).strip() + "…"),
    ],
)
def test_titles_are_proposed_from_subject_or_first_sentence(text: str, subject: str, title: str) -> None:
    assert intake.propose_title(text, subject) == title


def test_a_pasted_email_is_recognised_by_its_headers() -> None:
    assert intake.looks_like_email(PASTED)
    assert not intake.looks_like_email("Note: they called twice.\nSubject: billing")
    assert intake.title_for_paste(PASTED) == "Crowns delivered late"


def test_a_pasted_email_keeps_sender_message_id_and_finds_the_client_by_domain(db: Session) -> None:
    workspace = create_workspace(db)
    client = create_client(db, workspace)
    agent = create_agent(db, workspace)
    form = intake.CaseByHand(client="", channel="email", text=PASTED)
    case = intake.open_case_by_hand(db, actor=agent, workspace_id=workspace.id, form=form)
    assert case.client_id == client.id and case.title == "Crowns delivered late"
    [message] = intake.view_messages(db, actor=agent, case=case)
    assert message.sender == "ruth@acme.example" and message.email_message_id == "<late-crowns@acme.example>"
    with pytest.raises(Conflict, match=f"already on case {case.reference}"):
        intake.open_case_by_hand(db, actor=agent, workspace_id=workspace.id, form=form)


def test_text_without_a_client_is_refused_on_the_client_field(db: Session) -> None:
    workspace = create_workspace(db)
    form = intake.CaseByHand(client=" ", channel="call", text="They called, upset.")
    with pytest.raises(Invalid) as refused:
        intake.open_case_by_hand(db, actor=create_agent(db, workspace), workspace_id=workspace.id, form=form)
    assert refused.value.detail == {"field": "Client"}


@pytest.mark.parametrize(
    ("review", "field"),
    [
        (intake.ReviewDetails("Google", 6, ""), "Rating"),
        (intake.ReviewDetails("Google", 0, ""), "Rating"),
        (intake.ReviewDetails("Google", 2, "javascript:alert(1)"), "Link"),
        (intake.ReviewDetails("Google", 2, "https:///nohost"), "Link"),
    ],
)
def test_review_details_are_checked(db: Session, review: intake.ReviewDetails, field: str) -> None:
    workspace = create_workspace(db)
    case = create_case(db, create_client(db, workspace))
    with pytest.raises(Invalid) as refused:
        intake.record_client_message(db, actor=None, case=case, channel="review", body="Bad", review=review)
    assert refused.value.detail == {"field": field}


def test_a_call_note_joins_the_thread_and_the_timeline(db: Session) -> None:
    workspace = create_workspace(db)
    case = create_case(db, create_client(db, workspace))
    agent = create_agent(db, workspace)
    message = intake.record_client_message(
        db, actor=agent, case=case, channel="call", body="Wants a refund by Friday.", sender="Ruth"
    )
    assert message.channel == "call" and message.direction == "inbound"
    assert event_kinds(db, case)[-1] == "message_received"
    assert intake.inbound_message_ids(db, case=case) == [message.id]
