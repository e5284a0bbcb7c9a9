"""The insights page, the cases behind each number, and the monthly reviews (P24): parse, call, render."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from accord.cases import service as cases
from accord.clock import now
from accord.http.deps import Caller
from accord.insights import charts, monthly, pdf
from accord.insights import figures_service as insights
from accord.insights.figures import DIMENSIONS, DRILLS
from accord.web.deps import web_caller, web_db
from accord.web.render import page

router = APIRouter(include_in_schema=False)


def _filters(request: Request, db: Session, caller: Caller) -> insights.Filters:
    """The period and filters from the query string; empty fields mean "any"."""
    q = {k: (v.strip() or None) for k, v in request.query_params.items()}
    severity = q.get("severity")
    if severity is not None and not severity.isdigit():
        severity = "0"  # the service refuses it with a readable message
    return insights.read_filters(
        db,
        actor=caller.actor,
        workspace_id=caller.workspace.id,
        start=q.get("from"),
        end=q.get("to"),
        client=q.get("client"),
        category=q.get("category"),
        severity=int(severity) if severity else None,
        spokesperson=q.get("spokesperson"),
        fault=q.get("fault"),
    )


@router.get("/insights", response_class=HTMLResponse)
def insights_page(
    request: Request,
    by: str = Query("category"),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """Every P24 figure for the chosen period and filters, with charts; every number opens its cases."""
    started = time.perf_counter()
    filters = _filters(request, db, caller)
    ws = caller.workspace.id
    dims = ["month", "category", "fault"] + (
        [by] if by in DIMENSIONS and by not in ("month", "category", "fault") else []
    )
    view = insights.overview(db, actor=caller.actor, workspace_id=ws, filters=filters)
    groups = insights.breakdowns(
        db, actor=caller.actor, workspace_id=ws, filters=filters, dimensions=dims, overall=False
    )
    context: dict[str, Any] = {
        "caller": caller,
        "active": "insights",
        "v": view,
        "row": view.overall,
        "f": filters,
        "by": by if by in DIMENSIONS else "category",
        "dimensions": DIMENSIONS,
        "table": groups.get(by if by in DIMENSIONS else "category", []),
        "charts": charts.chart_specs(view, groups),
        "link": lambda figure, group=None, key=None: charts.drill_link(filters, figure, group, key),
        "choices": insights.filter_choices(db, actor=caller.actor, workspace_id=ws),
        "built_ms": round((time.perf_counter() - started) * 1000),
    }
    return page(request, "insights.html", context)


@router.get("/insights/cases", response_class=HTMLResponse)
def insights_cases(
    request: Request,
    figure: str = Query("opened"),
    db: Session = web_db,
    caller: Caller = Depends(web_caller),
) -> HTMLResponse:
    """The cases behind one number of the insights page or the monthly review."""
    filters = _filters(request, db, caller)
    found = insights.cases_behind(
        db, actor=caller.actor, workspace_id=caller.workspace.id, filters=filters, figure=figure
    )
    context = {
        "caller": caller,
        "active": "insights",
        "figure": figure,
        "figures": DRILLS,
        "f": filters,
        "rows": [cases.describe_case(db, c) for c in found],
        "back": "/insights?" + urlencode(filters.as_query()),
    }
    return page(request, "insights_cases.html", context)


@router.get("/reports", response_class=HTMLResponse)
def report_list(request: Request, caller: Caller = Depends(web_caller)) -> HTMLResponse:
    """The monthly reviews of the last twelve months, as pages and PDFs."""
    months, month = [], monthly.default_month(now().date())
    for _ in range(12):
        months.append(month)
        month = monthly.previous_month(month)
    return page(request, "reports.html", {"caller": caller, "active": "insights", "months": months})


@router.get("/reports/{month}.pdf")
def report_pdf(month: str, db: Session = web_db, caller: Caller = Depends(web_caller)) -> Response:
    """The monthly review as a PDF download."""
    result = monthly.monthly_report(db, actor=caller.actor, workspace_id=caller.workspace.id, month=month)
    headers = {"Content-Disposition": f'attachment; filename="accord-review-{result.month}.pdf"'}
    return Response(pdf.pdf_bytes(result), media_type="application/pdf", headers=headers)


@router.get("/reports/monthly.css")
def report_css(caller: Caller = Depends(web_caller)) -> Response:
    """The review's stylesheet (the app's CSP allows no inline styles)."""
    return Response(monthly.stylesheet(), media_type="text/css")


@router.get("/reports/{month}", response_class=HTMLResponse)
def report_page(month: str, db: Session = web_db, caller: Caller = Depends(web_caller)) -> HTMLResponse:
    """The monthly review as the owners read it."""
    result = monthly.monthly_report(db, actor=caller.actor, workspace_id=caller.workspace.id, month=month)
    return HTMLResponse(monthly.render_html(result, stylesheet_url="/reports/monthly.css", back="/reports"))
