"""Start work anywhere: the New case page and the client search its picker uses (P3, issue 20 item 1).

Parse -> access -> one service call -> render. A refused input re-renders the form with what was
typed and the error beside its field (422); a new case's first message is triaged right after the
reply goes out, so its case page shows the triage within seconds instead of at the next sweep.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.cases.models import Case
from accord.clients import service as clients
from accord.http.deps import Caller
from accord.intake import service as intake
from accord.jobs.triage_sweep import triage_messages
from accord.triage import service as triage
from accord.web.deps import web_caller, web_db
from accord.web.forms import Outcome, attempt, stars
from accord.web.render import page

router = APIRouter(include_in_schema=False)

CHANNELS = (
    ("email", "Email"),
    ("call", "Phone call (your notes)"),
    ("chat", "Chat"),
    ("review", "Public review"),
    ("form", "Web form"),
    ("manual", "In person / other"),
)
LABELS = {
    "Client": "client",
    "Client name": "client",
    "Email domains": "new_client_domain",
    "Message": "text",
    "Email file": "eml",
    "Title": "title",
    "Channel": "channel",
    "Platform": "platform",
    "Rating": "rating",
    "Link": "link",
    "Sender": "sender",
}


@dataclass
class NewCaseForm:
    """What the New case form sends, kept as typed so a refused form comes back filled in."""

    client: str = ""
    new_client: str = ""
    new_client_domain: str = ""
    channel: str = "email"
    sender: str = ""
    text: str = ""
    title: str = ""
    platform: str = ""
    rating: str = ""
    link: str = ""


def _form_page(request: Request, caller: Caller, values: NewCaseForm, outcome: Outcome) -> HTMLResponse:
    context = {
        "caller": caller,
        "active": "new",
        "values": values,
        "errors": outcome.errors,
        "channels": CHANNELS,
        "proposed": intake.title_for_paste(values.text),
    }
    return page(request, "case_new.html", context, status_code=outcome.status)


@router.get("/cases/new", response_class=HTMLResponse)
def new_case_page(
    request: Request,
    client: str = "",
    channel: str = "email",
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """The New case form (bookmarkable; ?client=NAME&channel=call prefill it)."""
    values = NewCaseForm(client=client[:200], channel=channel[:20])
    return _form_page(request, caller, values, Outcome())


def _by_hand(values: NewCaseForm) -> intake.CaseByHand:
    review = None
    if values.channel == "review":
        rating = stars(values.rating)
        review = intake.ReviewDetails(platform=values.platform, rating=rating, link=values.link)
    return intake.CaseByHand(
        client=values.client,
        create_client=bool(values.new_client),
        client_domain=values.new_client_domain,
        channel=values.channel,
        sender=values.sender,
        text=values.text,
        title=values.title,
        review=review,
    )


def _read_upload(eml: UploadFile | None) -> bytes | None:
    """The uploaded file's bytes (None when no file was chosen), one byte past the limit at most."""
    if eml is None or not eml.filename:
        return None
    return eml.file.read(intake.MAX_EML_BYTES + 1)


@router.post("/cases/new", response_model=None)
def create_case(
    request: Request,
    background: BackgroundTasks,
    client: str = Form(""),
    new_client: str = Form(""),
    new_client_domain: str = Form(""),
    channel: str = Form("email"),
    sender: str = Form(""),
    text: str = Form(""),
    title: str = Form(""),
    platform: str = Form(""),
    rating: str = Form(""),
    link: str = Form(""),
    eml: UploadFile | None = File(None),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> Response:
    """Open the case and go to its page; the first message is triaged just after this reply."""
    values = NewCaseForm(
        client, new_client, new_client_domain, channel, sender, text, title, platform, rating, link
    )
    raw = _read_upload(eml)
    form = _by_hand(values)
    outcome = attempt(
        db,
        lambda: intake.open_case_by_hand(
            db, actor=caller.actor, workspace_id=caller.workspace.id, form=form, raw=raw
        ),
        LABELS,
    )
    if not outcome:
        return _form_page(request, caller, values, outcome)
    case: Case = outcome.result
    background.add_task(triage_messages, intake.inbound_message_ids(db, case=case))
    return Response(status_code=303, headers={"Location": f"/cases/{case.reference}"})


@router.post("/cases/new/title", response_class=HTMLResponse)
def propose_title(
    request: Request, text: str = Form(""), title: str = Form(""), caller: Caller = Depends(web_caller)
) -> HTMLResponse:
    """The title field again, with a title proposed from the message as its placeholder (htmx)."""
    values = NewCaseForm(text=text, title=title[:200])
    context: dict[str, Any] = {"values": asdict(values), "proposed": intake.title_for_paste(text)}
    return page(request, "_title_field.html", context)


@router.get("/cases/{reference}/triage-ready")
def triage_ready(reference: str, db: Session = web_db, caller: Caller = Depends(web_caller)) -> Response:
    """200 once triage has read every message of the case, 204 while some wait (app.js asks every 2 s
    while a case page shows "triage pending", then refreshes the page's messages in place)."""
    case = caller.case(db, reference)
    waiting = triage.pending_on_case(db, case=case)
    return Response(status_code=204 if waiting else 200)


@router.get("/clients/search", response_class=HTMLResponse)
def search_clients(
    request: Request,
    client: str = "",
    q: str = "",
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """Up to ten clients matching what was typed, as <option>s for a picker's datalist."""
    found = clients.search_clients(
        db, actor=caller.actor, workspace_id=caller.workspace.id, query=(q or client)[:200]
    )
    return page(request, "_client_options.html", {"found": found})
