"""The client's voice on the case: mail, the confirmation answer and follow-up ratings, in order (P23)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.cadence import confirmation
from accord.cadence.models import FollowUp
from accord.intake import service as intake
from tests.cadence.helpers import walk_to
from tests.helpers import create_agent, create_client, create_workspace
from tests.intake.test_receive import mail


def test_confirmation_answers_and_ratings_join_the_thread_in_order(db: Session) -> None:
    ws = create_workspace(db)
    agent = create_agent(db, ws)
    create_client(db, ws)
    first = intake.receive_email(db, workspace_id=ws.id, raw=mail("<voice1@acme.example>", "Refund missing."))
    case = intake.case_of_message(db, message=first)
    walk_to(db, case, "resolution_proposed", agent)
    _, url = confirmation.request_confirmation(db, actor=agent, case=case)
    confirmation.answer_confirmation(
        db, token=url.rsplit("/", 1)[-1], resolved=False, comment="The refund has not arrived."
    )
    walk_to(db, case, "resolution_proposed", agent)
    _, url = confirmation.request_confirmation(db, actor=agent, case=case)
    confirmation.answer_confirmation(db, token=url.rsplit("/", 1)[-1], resolved=True)
    follow_up = db.query(FollowUp).filter_by(case_id=case.id).one()
    token = confirmation.make_token(
        confirmation.FOLLOW_UP_SALT, case.id, follow_up.nonce, confirmation.FOLLOW_UP_VALID
    )
    confirmation.answer_follow_up(db, token=token, rating=4, comment="Slow at first, fair in the end.")
    thread = [(v.direction, v.channel, v.body) for v in intake.view_messages(db, actor=agent, case=case)]
    assert thread[0] == ("inbound", "email", "Refund missing.")
    assert thread[1][:2] == ("outbound", "email") and "Only you can tell us" in thread[1][2]
    assert thread[2] == ("inbound", "form", "Not yet. The refund has not arrived.")
    assert thread[3][:2] == ("outbound", "email")
    assert thread[4] == ("inbound", "form", "Yes, it is solved.")
    assert thread[5] == ("inbound", "form", "Rated our handling 4/5. Slow at first, fair in the end.")
    assert case.status == "closed"
