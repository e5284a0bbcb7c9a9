"""Offers on the case page: limits, approvals and haggling warnings (P19, P20)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from tests.web.conftest import Demo, csrf_headers


def _propose(web: TestClient, reference: str, **form: str) -> str:
    headers = {**csrf_headers(web), "HX-Request": "true"}
    page = web.post(f"/cases/{reference}/offers", data=form, headers=headers)
    assert page.status_code == 200, page.text
    return page.text


def test_an_offer_within_its_limit_can_be_answered(web: TestClient) -> None:
    card = _propose(web, "ACC-1001", solution_id="billing_credit", amount="10", note="10% off November")
    assert "10 % of limit 15 %" in card
    assert "Client accepted" in card
    assert "needs approval" not in card


def test_a_blank_amount_is_refused_with_the_limit_in_units(web: TestClient) -> None:
    headers = {**csrf_headers(web), "HX-Request": "true"}
    answer = web.post(
        "/cases/ACC-1021/offers", data={"solution_id": "billing_refund", "amount": ""}, headers=headers
    )
    assert answer.status_code == 422
    assert (
        "Enter an amount in EUR for Refund of a wrong charge; the pre-approved limit is 500 EUR"
        in answer.text
    )


def test_a_larger_offer_than_the_last_is_refused_until_confirmed(web: TestClient) -> None:
    headers = {**csrf_headers(web), "HX-Request": "true"}
    first = _propose(web, "ACC-1021", solution_id="billing_credit", amount="15")
    assert "15 % of limit 15 %" in first
    drift = web.post(
        "/cases/ACC-1021/offers", data={"solution_id": "billing_credit", "amount": "40"}, headers=headers
    )
    assert drift.status_code == 409 and "Concession drift" in drift.text  # P20: warned before sending
    card = _propose(web, "ACC-1021", solution_id="billing_credit", amount="40", accept_drift="true")
    assert "40 % of limit 15" in card
    assert "approved beyond the limit" in card  # P19: the owner proposing it is an approver


def test_bargaining_after_an_offer_shows_a_haggling_warning(web: TestClient, demo: Demo) -> None:
    from accord.cases import service as cases
    from accord.clock import frozen, now
    from accord.db import session_scope
    from accord.intake import service as intake

    _propose(web, "ACC-1014", solution_id="billing_credit", amount="15")
    bargaining = "Is that really the best you can do? Make it 40%."
    with frozen(now() + timedelta(minutes=5)), session_scope() as db:
        case = cases.get_case(db, actor=None, workspace_id=1, reference="ACC-1014")
        intake.add_inbound_message(db, actor=None, case=case, body=bargaining)
    page = web.get("/cases/ACC-1014")
    assert 'id="firmness"' in page.text and "Remain firm" in page.text  # P20: no haggling
    assert "<q>Is that really the best you can do</q>" in page.text  # the evidence


def test_an_offer_id_beyond_64_bits_is_refused_not_a_crash(web: TestClient) -> None:
    headers = {**csrf_headers(web), "HX-Request": "true"}
    answer = web.post("/cases/ACC-1001/offers/99999999999999999999/withdraw", headers=headers)
    assert answer.status_code == 422
    assert "not valid" in answer.text


def test_an_offer_made_through_the_service_shows_on_the_case_page(web: TestClient, demo: Demo) -> None:
    from accord.cases import service as cases
    from accord.clients import service as clients
    from accord.clock import frozen, now
    from accord.db import session_scope
    from accord.intake import service as intake
    from accord.offers import service as offers

    with session_scope() as db:
        client = clients.get_client(db, actor=None, workspace_id=1, key="Bluebird Dental")
        case = cases.open_case(
            db, actor=None, client=client, title="Card charged twice again", severity=2, category="billing"
        )
        offers.propose_offer(
            db,
            actor=None,
            case=case,
            solution_id="billing_credit",
            amount=25,
            note="A quarter off the December invoice",
        )
        reference = case.reference
    with frozen(now() + timedelta(minutes=5)), session_scope() as db:
        case = cases.get_case(db, actor=None, workspace_id=1, reference=reference)
        intake.add_inbound_message(db, actor=None, case=case, body="Surely you can do better, make it 50%.")
    page = web.get(f"/cases/{reference}").text
    assert "A quarter off the December invoice" in page
    assert "25 % of limit 15 %" in page  # P19: the offer next to its pre-approved limit, in units
    assert "beyond the limit: needs approval" in page
    assert "treats our offer as an opening bid" in page  # P20: haggling is called out


def test_counter_then_accept_on_the_page_and_call_mode_shows_firmness(web: TestClient, demo: Demo) -> None:
    """P20 on the case page and in call mode; P24: the accepted offer shows its cost."""
    from accord.cases import service as cases
    from accord.clients import service as clients
    from accord.db import session_scope

    with session_scope() as db:
        client = clients.get_client(db, actor=None, workspace_id=1, key="Bluebird Dental")
        case = cases.open_case(db, actor=None, client=client, title="Refund asked twice", category="billing")
        reference = case.reference
    card = _propose(web, reference, solution_id="billing_credit", amount="10")
    offer_id = card.split(f"/cases/{reference}/offers/")[1].split("/")[0]
    headers = {**csrf_headers(web), "HX-Request": "true"}
    countered = web.post(
        f"/cases/{reference}/offers/{offer_id}/counter", data={"amount": "40"}, headers=headers
    )
    assert "Client&#39;s counter" in countered.text or "Client's counter" in countered.text
    assert "Offer history: countered our offer" in countered.text
    call = web.get(f"/cases/{reference}/call").text
    assert 'id="call-firmness"' in call and "remain firm (P20)" in call
    assert "60 days" in call  # the client's termination terms on the call
    accepted = web.post(f"/cases/{reference}/offers/{offer_id}/accept", headers=headers).text
    assert "accepted" in accepted and "cost " in accepted and " EUR" in accepted


def test_the_demo_ended_client_shows_why_and_its_held_case_a_banner(web: TestClient, demo: Demo) -> None:
    """P21: the ended relationship's reason on the client page; its new message is a held case."""
    from accord.cases import service as cases
    from accord.cases.schemas import CaseFilter
    from accord.clients import service as clients
    from accord.db import session_scope

    with session_scope() as db:
        client = clients.get_client(db, actor=None, workspace_id=1, key="Redline Motors")
        flt = CaseFilter(client_id=client.id)
        held = [c.reference for c in cases.list_cases(db, actor=None, workspace_id=1, flt=flt, limit=10)]
        client_id = client.id
    page = web.get(f"/clients/{client_id}").text
    assert "Repeated abuse of the team and unpaid invoices" in page
    case_page = web.get(f"/cases/{held[0]}").text
    assert 'id="ended-banner"' in case_page and "an owner must reopen work" in case_page
