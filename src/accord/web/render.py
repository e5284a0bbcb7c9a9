"""Rendering helpers for the web pages: templates, dates, and safe evidence highlighting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from accord.clock import now
from accord.web.csrf import csrf_input

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def ago(value: datetime | None) -> str:
    """'3 h ago', 'in 2 d': how long until or since a moment, in the words people scan for."""
    if value is None:
        return ""
    seconds = int((value - now()).total_seconds())
    span = abs(seconds)
    if span < 60:
        return "now"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if span >= size:
            amount = f"{span // size} {unit}"
            return f"in {amount}" if seconds > 0 else f"{amount} ago"
    return "now"


def when(value: datetime | None) -> str:
    """A short absolute UTC time, e.g. 'Mon 3 Nov 14:05'."""
    return "" if value is None else value.strftime("%a %-d %b %H:%M")


def words(value: str | None) -> str:
    """'in_conversation' -> 'in conversation'."""
    return (value or "").replace("_", " ")


templates.env.filters["ago"] = ago
templates.env.filters["when"] = when
templates.env.filters["words"] = words
templates.env.globals["csrf_input"] = csrf_input


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render one template; the caller (user menu) rides along for base.html."""
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def is_htmx(request: Request) -> bool:
    """True for requests htmx makes (they want a fragment, not a whole page)."""
    return bool(request.headers.get("HX-Request"))


def redirect(request: Request, url: str) -> Response:
    """Send the browser to `url` after a POST: htmx gets 204 + HX-Redirect, plain forms a 303.

    htmx follows a 303 inside its XHR and swaps the target page into the fragment; the redirect
    header would be lost with it, so htmx requests get the instruction in a header it reads.
    """
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return Response(status_code=303, headers={"Location": url})


def _clean_spans(text_len: int, spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sorted, in-range, non-overlapping spans (an overlapping later span is dropped)."""
    out: list[tuple[int, int, str]] = []
    cursor = 0
    for start, end, label in sorted(spans, key=lambda s: (s[0], -s[1])):
        start, end = max(0, int(start)), min(text_len, int(end))
        if start < cursor or end <= start:
            continue
        out.append((start, end, label))
        cursor = end
    return out


def highlight(text: str, spans: Iterable[tuple[int, int, str]]) -> Markup:
    """Client text with evidence marked; every piece of client text is escaped (rule 8)."""
    parts: list[Markup] = []
    cursor = 0
    for start, end, label in _clean_spans(len(text), spans):
        parts.append(escape(text[cursor:start]))
        parts.append(
            Markup('<mark class="ev" data-signal="{0}" title="{0}">{1}</mark>').format(label, text[start:end])
        )
        cursor = end
    parts.append(escape(text[cursor:]))
    return Markup("").join(parts)
