"""The team page: members and roles, deactivation, invitations with a one-time link, and the invitee's
page that turns the link into a signed-in member. Rules live in users.team and users.invitations."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.clock import now
from accord.errors import AccordError, Conflict, Invalid
from accord.http.deps import SESSION_GENERATION_KEY, SESSION_STARTED_KEY, SESSION_USER_KEY, Caller
from accord.http.params import RowId
from accord.users import invitations, team
from accord.users import service as users
from accord.users.models import ROLES
from accord.web.csrf import FIELD as CSRF_FIELD
from accord.web.deps import web_caller, web_db
from accord.web.render import page, redirect

router = APIRouter(include_in_schema=False)


def _team_page(
    request: Request, db: Session, caller: Caller, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    assert caller.actor is not None
    is_owner = caller.actor.role == "owner"
    context = {
        "caller": caller,
        "active": "team",
        "members": users.list_users(db, actor=caller.actor, workspace_id=caller.workspace.id),
        "invites": invitations.list_invitations(db, actor=caller.actor, workspace_id=caller.workspace.id)
        if is_owner
        else [],
        "roles": ROLES,
        "is_owner": is_owner,
        "moment": now(),
        "error": None,
        "invite_url": None,
        "invite_email": "",
        **extra,
    }
    return page(request, "team.html", context, status_code=status_code)


@router.get("/team", response_class=HTMLResponse)
def team_page(request: Request, db: Session = web_db, caller: Caller = Depends(web_caller)) -> HTMLResponse:
    """Who is on the team and what each may do; owners change it here."""
    return _team_page(request, db, caller)


@router.post("/team/invitations", response_class=HTMLResponse)
def invite(
    request: Request,
    email: str = Form(""),
    role: str = Form("agent"),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """Create an invitation and show its link once (only its hash is kept)."""
    assert caller.actor is not None
    try:
        _row, token = invitations.create_invitation(
            db, actor=caller.actor, workspace=caller.workspace, email=email, role=role
        )
    except (Invalid, Conflict) as exc:
        return _team_page(request, db, caller, exc.status, error=exc.message, invite_email=email[:320])
    base = team.public_base_url(caller.workspace, str(request.base_url))
    url = invitations.invitation_url(base, token)
    return _team_page(request, db, caller, invite_url=url, invite_email=email.strip().lower())


@router.post("/team/{user_id}/role", response_model=None)
def change_role(
    request: Request,
    user_id: RowId,
    role: str = Form(...),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Give a member another role (owners only; the last owner stays an owner)."""
    assert caller.actor is not None
    try:
        team.change_role(db, actor=caller.actor, workspace_id=caller.workspace.id, user_id=user_id, role=role)
    except (Invalid, Conflict) as exc:  # e.g. the last owner: said on the page, nothing changed
        return _team_page(request, db, caller, exc.status, error=exc.message)
    return redirect(request, "/team")


@router.post("/team/{user_id}/deactivate", response_model=None)
def deactivate(
    request: Request, user_id: RowId, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> Response:
    """A member who left: no more sign-ins or tokens; their history stays."""
    assert caller.actor is not None
    try:
        team.deactivate_user(db, actor=caller.actor, workspace_id=caller.workspace.id, user_id=user_id)
    except Conflict as exc:
        return _team_page(request, db, caller, exc.status, error=exc.message)
    return redirect(request, "/team")


@router.post("/team/{user_id}/reactivate")
def reactivate(
    request: Request, user_id: RowId, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> Response:
    """Let a deactivated member sign in again."""
    assert caller.actor is not None
    team.reactivate_user(db, actor=caller.actor, workspace_id=caller.workspace.id, user_id=user_id)
    return redirect(request, "/team")


def _invite_page(request: Request, token: str, status_code: int = 200, **extra: Any) -> HTMLResponse:
    context = {"token": token, "invitation": None, "refused": None, "error": None, "name": "", **extra}
    return page(request, "invite.html", context, status_code=status_code)


@router.get("/invite/{token}", response_class=HTMLResponse)
def invitation_page(request: Request, token: str, db: Session = web_db) -> HTMLResponse:
    """The invitee's page: choose a name and a password; a used or expired link says so plainly."""
    try:
        invitation = invitations.read_invitation(db, token=token)
    except AccordError as exc:
        return _invite_page(request, token, exc.status, refused=exc.message)
    return _invite_page(request, token, invitation=invitation)


def _form_is_ours(request: Request, submitted: str) -> bool:
    """Login-style CSRF: the form echoes the csrftoken cookie our invitation page set (no session yet)."""
    cookie = request.cookies.get(CSRF_FIELD, "")
    return bool(cookie) and secrets.compare_digest(cookie.encode(), submitted.encode())


@router.post("/invite/{token}", response_model=None)
def accept_invitation(
    request: Request,
    token: str,
    name: str = Form(""),
    password: str = Form(""),
    csrftoken: str = Form(""),
    db: Session = web_db,
) -> Response:
    """Become a member and land signed in; the link is spent."""
    if not _form_is_ours(request, csrftoken):
        return _invite_page(
            request, token, 403, refused="This form has expired; open the invitation link again."
        )
    try:
        user = invitations.accept_invitation(db, token=token, name=name, password=password)
    except Invalid as exc:
        invitation = invitations.read_invitation(db, token=token)
        return _invite_page(request, token, 422, invitation=invitation, error=exc.message, name=name[:200])
    except AccordError as exc:
        return _invite_page(request, token, exc.status, refused=exc.message)
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    request.session[SESSION_STARTED_KEY] = now().isoformat()
    request.session[SESSION_GENERATION_KEY] = user.session_generation
    return redirect(request, "/")
