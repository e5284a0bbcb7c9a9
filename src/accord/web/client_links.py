"""Client-facing pages, no account needed: confirm a resolution, answer the follow-up (P23)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from accord.cadence import confirmation as confirm
from accord.cadence.confirmation import LinkRefused
from accord.http.deps import db_session
from accord.web.render import page

router = APIRouter(tags=["client pages"], include_in_schema=False)


def _refused(request: Request, exc: LinkRefused) -> HTMLResponse:
    return page(request, "confirm_refused.html", {"message": exc.message, "code": exc.code}, status_code=400)


@router.get("/confirm/{token}", response_class=HTMLResponse)
def confirm_page(token: str, request: Request, db: Session = db_session) -> HTMLResponse:
    """The plain question: is it solved?"""
    try:
        _confirmation, case = confirm.read_confirmation(db, token=token)
    except LinkRefused as exc:
        return _refused(request, exc)
    return page(request, "confirm.html", {"case": case, "token": token})


@router.post("/confirm/{token}", response_class=HTMLResponse)
def confirm_answer(
    token: str,
    request: Request,
    answer: str = Form(...),
    comment: str = Form(""),
    db: Session = db_session,
) -> HTMLResponse:
    """Record the client's yes or not yet, once."""
    try:
        case = confirm.answer_confirmation(db, token=token, resolved=answer == "yes", comment=comment)
    except LinkRefused as exc:
        return _refused(request, exc)
    return page(request, "confirm_done.html", {"case": case, "resolved": answer == "yes"})


@router.get("/follow-up/{token}", response_class=HTMLResponse)
def follow_up_page(token: str, request: Request, db: Session = db_session) -> HTMLResponse:
    """How did we handle it? A 1-5 rating and a comment."""
    try:
        follow_up, case = confirm.read_follow_up(db, token=token)
    except LinkRefused as exc:
        return _refused(request, exc)
    context = {"case": case, "token": token, "question": follow_up.question}
    return page(request, "confirm_follow_up.html", context)


@router.post("/follow-up/{token}", response_class=HTMLResponse)
def follow_up_answer(
    token: str,
    request: Request,
    rating: int = Form(...),
    comment: str = Form(""),
    db: Session = db_session,
) -> HTMLResponse:
    """Store the rating; the case then closes."""
    try:
        _follow_up = confirm.answer_follow_up(db, token=token, rating=rating, comment=comment)
    except LinkRefused as exc:
        return _refused(request, exc)
    return page(request, "confirm_done.html", {"case": None, "resolved": True, "follow_up": True})
