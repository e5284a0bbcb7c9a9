"""The settings page: the base URL, working hours and holidays, mailboxes, SMTP with a test mail,
webhooks with a test delivery, and the member's own API tokens. Rules live in the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.cadence import service as cadence
from accord.errors import Conflict, Invalid
from accord.http.deps import Caller
from accord.http.params import RowId
from accord.intake import mailboxes
from accord.intake.models import TLS_MODES
from accord.notify import mail_check, webhooks
from accord.users import team, tokens
from accord.users.access import APPROVER_ROLES
from accord.web.deps import web_caller, web_db
from accord.web.render import page, redirect

router = APIRouter(include_in_schema=False)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _hooks(db: Session, workspace_id: int) -> list[dict[str, Any]]:
    return [
        {"hook": hook, "deliveries": webhooks.recent_deliveries(db, workspace_id=workspace_id, url=hook.url)}
        for hook in webhooks.list_webhooks(db, workspace_id=workspace_id)
    ]


def _settings_page(
    request: Request, db: Session, caller: Caller, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    assert caller.actor is not None
    workspace, seen = caller.workspace, str(request.base_url).rstrip("/")
    may_manage = caller.actor.role in APPROVER_ROLES
    context = {
        "caller": caller,
        "active": "settings",
        "is_owner": caller.actor.role == "owner",
        "may_manage": may_manage,
        "base_url": workspace.base_url,
        "seen_base_url": seen,
        "effective_base_url": team.public_base_url(workspace, seen),
        "base_url_warning": team.base_url_mismatch(workspace, seen),
        "hours": cadence.hours_for(db, workspace.id),
        "weekdays": WEEKDAYS,
        "mailboxes": mailboxes.list_mailboxes(db, actor=caller.actor, workspace_id=workspace.id)
        if may_manage
        else [],
        "tls_modes": TLS_MODES,
        "smtp": mail_check.smtp_summary(),
        "hooks": _hooks(db, workspace.id) if may_manage else [],
        "tokens": tokens.list_tokens(db, actor=caller.actor),
        "errors": {},
        "new_token": None,
        "test_mail": None,
        "holidays_text": None,
        **extra,
    }
    return page(request, "settings.html", context, status_code=status_code)


def _refused(
    request: Request, db: Session, caller: Caller, section: str, exc: Invalid | Conflict, **typed: Any
) -> HTMLResponse:
    """Bad input stays on the page, with the message beside the section it belongs to."""
    return _settings_page(request, db, caller, exc.status, errors={section: exc.message}, **typed)


def _saved(
    request: Request,
    db: Session,
    caller: Caller,
    section: str,
    save: Callable[[], object],
    *,
    refused: tuple[type[Invalid | Conflict], ...] = (Invalid,),
    **typed: Any,
) -> Response:
    """One save from a settings form: back to its section when done, or the page again with the message
    beside that section (and what was typed) when the service refuses the input. The service checks the
    role; a Forbidden is not caught here and renders as everywhere else."""
    try:
        save()
    except refused as exc:
        return _refused(request, db, caller, section, exc, **typed)
    return redirect(request, f"/settings#{section.replace('_', '-')}")


@router.get("/settings", response_class=HTMLResponse)
def settings_page(
    request: Request, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """Everything an owner configures once, and each member's API tokens."""
    return _settings_page(request, db, caller)


@router.post("/settings/base-url", response_model=None)
def save_base_url(
    request: Request, base_url: str = Form(""), db: Session = web_db, caller: Caller = Depends(web_caller)
) -> Response:
    """Where links in mails point; empty means the address the browser used."""
    assert caller.actor is not None
    return _saved(
        request,
        db,
        caller,
        "base_url",
        lambda: team.set_base_url(db, actor=caller.actor, workspace=caller.workspace, base_url=base_url),
    )


@router.post("/settings/hours", response_model=None)
def save_hours(
    request: Request,
    timezone: str = Form("UTC"),
    day_start: str = Form("09:00"),
    day_end: str = Form("17:00"),
    weekdays: list[int] = Form([]),
    holidays: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Working hours and holidays: the clocks count only working time (P6, P22)."""
    return _saved(
        request,
        db,
        caller,
        "hours",
        lambda: cadence.configure_hours(
            db,
            actor=caller.actor,
            workspace_id=caller.workspace.id,
            timezone=timezone.strip()[:60],
            day_start=day_start.strip()[:5],
            day_end=day_end.strip()[:5],
            weekdays=weekdays,
            holidays=cadence.parse_days(holidays),
        ),
        holidays_text=holidays[:5000],
    )


@router.post("/settings/mailboxes", response_model=None)
def add_mailbox(
    request: Request,
    host: str = Form(""),
    port: int = Form(993),
    user: str = Form(""),
    password: str = Form(""),
    folder: str = Form("INBOX"),
    tls: str = Form("ssl"),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Poll another IMAP folder for client mail (P3)."""
    return _saved(
        request,
        db,
        caller,
        "mailboxes",
        lambda: mailboxes.add_mailbox(
            db,
            actor=caller.actor,
            workspace_id=caller.workspace.id,
            host=host,
            port=port,
            user=user,
            password=password,
            folder=folder,
            tls=tls,
        ),
    )


@router.post("/settings/mailboxes/{mailbox_id}/remove")
def remove_mailbox(
    request: Request, mailbox_id: RowId, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> Response:
    """Stop polling a mailbox; the mail it brought stays."""
    mailboxes.remove_mailbox(db, actor=caller.actor, workspace_id=caller.workspace.id, mailbox_id=mailbox_id)
    return redirect(request, "/settings#mailboxes")


@router.post("/settings/test-mail", response_class=HTMLResponse)
def send_test_mail(
    request: Request, recipient: str = Form(""), db: Session = web_db, caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """Send a test mail now and show what the SMTP server said."""
    assert caller.actor is not None
    try:
        result = mail_check.send_test_mail(
            db, actor=caller.actor, workspace_id=caller.workspace.id, recipient=recipient
        )
    except Invalid as exc:
        return _refused(request, db, caller, "smtp", exc)
    return _settings_page(request, db, caller, test_mail=result)


@router.post("/settings/webhooks", response_model=None)
def add_webhook(
    request: Request, url: str = Form(""), db: Session = web_db, caller: Caller = Depends(web_caller)
) -> Response:
    """Send the workspace's events (reminders, escalations) to another URL."""
    assert caller.actor is not None
    actor = caller.actor
    return _saved(
        request,
        db,
        caller,
        "webhooks",
        lambda: webhooks.add_webhook(db, actor=actor, workspace_id=caller.workspace.id, url=url),
        refused=(Invalid, Conflict),
    )


@router.post("/settings/webhooks/{webhook_id}/remove")
def remove_webhook(
    request: Request, webhook_id: RowId, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> Response:
    """Stop sending events to a URL."""
    assert caller.actor is not None
    webhooks.remove_webhook(db, actor=caller.actor, workspace_id=caller.workspace.id, webhook_id=webhook_id)
    return redirect(request, "/settings#webhooks")


@router.post("/settings/webhooks/{webhook_id}/test")
def deliver_test_event(
    request: Request, webhook_id: RowId, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> Response:
    """Post a signed test event now; its answer shows beside the webhook."""
    assert caller.actor is not None
    webhooks.send_test_delivery(
        db, actor=caller.actor, workspace_id=caller.workspace.id, webhook_id=webhook_id
    )
    return redirect(request, f"/settings#webhook-{webhook_id}")


@router.post("/settings/tokens", response_model=None)
def create_token(
    request: Request,
    name: str = Form(""),
    scope: str = Form("read"),
    expires_in_days: str = Form(""),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """A personal API token, shown this once (only its hash is stored)."""
    assert caller.actor is not None
    try:
        days = int(expires_in_days) if expires_in_days.strip() else None
    except ValueError:
        return _refused(
            request, db, caller, "tokens", Invalid("Expiry is a number of days, or empty for never.")
        )
    try:
        token, plain = tokens.create_token(
            db, actor=caller.actor, scope=scope, name=name, expires_in_days=days
        )
    except Invalid as exc:
        return _refused(request, db, caller, "tokens", exc)
    return _settings_page(request, db, caller, new_token={"row": token, "plain": plain})


@router.post("/settings/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, token_id: RowId, db: Session = web_db, caller: Caller = Depends(web_caller)
) -> Response:
    """The token stops working at once."""
    assert caller.actor is not None
    tokens.revoke_token(db, actor=caller.actor, token_id=token_id)
    return redirect(request, "/settings#tokens")
