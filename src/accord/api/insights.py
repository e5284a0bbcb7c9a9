"""GET /api/v1/insights (the older summary) and /api/v1/reports/...: every P24 figure over any period."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.cases.schemas import CaseOut
from accord.http.deps import Caller, db_session, get_caller
from accord.insights import export, monthly, pdf
from accord.insights import figures_service as figures
from accord.insights import service as insights
from accord.insights.figures import DIMENSIONS, DRILLS

router = APIRouter(prefix="/api/v1", tags=["insights"])


@router.get("/insights")
def get_insights(
    days: int = Query(90, ge=1, le=3650), db: Session = db_session, caller: Caller = Depends(get_caller)
) -> dict[str, Any]:
    """Causes, fault, time to resolve, reopenings, clients lost, and lessons."""
    report = insights.conflict_report(db, actor=caller.actor, workspace_id=caller.workspace.id, days=days)
    return asdict(report)


@dataclass
class ReportQuery:
    """The period and filters of a report request, as typed."""

    start: str | None = Query(None, alias="from", description="First day, YYYY-MM-DD.")
    end: str | None = Query(None, alias="to", description="Last day, YYYY-MM-DD (included).")
    days: int = Query(90, ge=1, le=3660, description="Without `from`: the last N days.")
    client: str | None = Query(None, max_length=200, description="Client name or id.")
    category: str | None = Query(None, max_length=40)
    severity: int | None = Query(None, ge=1, le=4)
    spokesperson: str | None = Query(None, max_length=320, description="Spokesperson email or id.")
    fault: str | None = Query(None, max_length=20)


def _filters(db: Session, caller: Caller, q: ReportQuery) -> figures.Filters:
    return figures.read_filters(db, actor=caller.actor, workspace_id=caller.workspace.id, **asdict(q))


def _by(by: list[str] = Query([], description=f"Also per: {', '.join(DIMENSIONS)}")) -> list[str]:
    return by


@router.get("/reports/figures")
def report_figures(
    q: ReportQuery = Depends(),
    by: list[str] = Depends(_by),
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> dict[str, Any]:
    """Every figure of the period: overall, per asked dimension, client lists, causes and lessons (P24)."""
    filters = _filters(db, caller, q)
    ws = caller.workspace.id
    view = figures.overview(db, actor=caller.actor, workspace_id=ws, filters=filters)
    groups = figures.breakdowns(db, actor=caller.actor, workspace_id=ws, filters=filters, dimensions=by)
    return export.overview_json(view, groups)


@router.get("/reports/figures.csv", response_class=Response)
def report_figures_csv(
    q: ReportQuery = Depends(),
    by: list[str] = Depends(_by),
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> Response:
    """The figure rows as CSV: overall first, then one block per asked dimension."""
    filters = _filters(db, caller, q)
    groups = figures.breakdowns(
        db, actor=caller.actor, workspace_id=caller.workspace.id, filters=filters, dimensions=by
    )
    return Response(export.rows_csv(groups), media_type="text/csv; charset=utf-8")


@router.get("/reports/cases", response_model=list[CaseOut])
def report_cases(
    figure: str = Query(..., description=f"One of: {', '.join(DRILLS)}"),
    q: ReportQuery = Depends(),
    db: Session = db_session,
    caller: Caller = Depends(get_caller),
) -> list[CaseOut]:
    """The cases behind one number (at most 500, newest first)."""
    filters = _filters(db, caller, q)
    found = figures.cases_behind(
        db, actor=caller.actor, workspace_id=caller.workspace.id, filters=filters, figure=figure
    )
    return [cases.describe_case(db, c) for c in found]


def _monthly(db: Session, caller: Caller, month: str) -> monthly.MonthlyReport:
    return monthly.monthly_report(db, actor=caller.actor, workspace_id=caller.workspace.id, month=month)


@router.get("/reports/monthly/{month}.html", response_class=HTMLResponse)
def report_monthly_html(
    month: str, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> HTMLResponse:
    """The monthly review as one self-contained HTML page."""
    return HTMLResponse(monthly.render_html(_monthly(db, caller, month)))


@router.get("/reports/monthly/{month}.pdf", response_class=Response)
def report_monthly_pdf(
    month: str, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> Response:
    """The monthly review as a PDF download."""
    result = _monthly(db, caller, month)
    headers = {"Content-Disposition": f'attachment; filename="accord-review-{result.month}.pdf"'}
    return Response(pdf.pdf_bytes(result), media_type="application/pdf", headers=headers)


# Declared after the .html and .pdf routes, which would otherwise match as a month.
@router.get("/reports/monthly/{month}")
def report_monthly(
    month: str, db: Session = db_session, caller: Caller = Depends(get_caller)
) -> dict[str, Any]:
    """The monthly review (YYYY-MM) as data."""
    result = _monthly(db, caller, month)
    return {**asdict(result), "view": export.overview_json(result.view, {})}
