"""Call mode and the case page save a step's notes as you go, without finishing the step (P13)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_headers

HTMX = {"HX-Request": "true"}


def test_call_mode_saves_notes_and_the_step_stays_open(web: TestClient) -> None:
    saved = web.post(
        "/cases/ACC-1011/call/listen/notes",
        data={"index": "1", "notes": "Upset about the 3rd"},
        headers={**csrf_headers(web), **HTMX},
    )
    assert saved.status_code == 200 and "Notes saved" in saved.text
    again = web.get("/cases/ACC-1011/call", params={"step": "1"}).text
    assert "Upset about the 3rd</textarea>" in again  # back on the step, the notes are there
    assert "Save and next step" in again  # still open: not finished
    case_page = web.get("/cases/ACC-1011").text
    assert 'id="step-listen" class="step open"' in case_page
    assert "step notes saved" in case_page  # on the timeline


def test_plain_save_notes_button_returns_to_the_same_step(web: TestClient) -> None:
    answer = web.post(
        "/cases/ACC-1011/call/show_empathy/notes",
        data={"index": "3", "notes": "Said how the outage hit their bookings"},
        headers=csrf_headers(web),
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/cases/ACC-1011/call?step=3"


def test_case_page_saves_step_notes_and_keeps_the_step_open(web: TestClient) -> None:
    steps = web.post(
        "/cases/ACC-1011/steps/own_mistake/notes",
        data={"notes": "We missed the sign-off"},
        headers={**csrf_headers(web), **HTMX},
    )
    assert steps.status_code == 200
    assert 'id="step-own_mistake" class="step open"' in steps.text
    assert "We missed the sign-off</textarea>" in steps.text


def test_notes_on_a_finished_step_are_refused(web: TestClient) -> None:
    headers = {**csrf_headers(web), **HTMX}
    web.post("/cases/ACC-1011/steps/explain_plan/complete", data={"notes": "Told them"}, headers=headers)
    late = web.post("/cases/ACC-1011/steps/explain_plan/notes", data={"notes": "later"}, headers=headers)
    assert late.status_code == 409 and "reopen it first" in late.text
