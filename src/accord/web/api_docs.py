"""/api/docs: Swagger UI from static/swagger-ui (swagger-ui-dist 5.35.0 from npm), so it works offline;
and /favicon.ico for browsers that ask for it before reading the page's icon link (issue 20 item 7)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).resolve().parent.parent / "static"
# Swagger UI sets style attributes while it renders: this page alone allows inline styles (no inline scripts).
DOCS_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accord API</title><link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/swagger-ui/init.js"></script>
</body></html>"""


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    """The API's interactive documentation, served from our own files (no CDN)."""
    return HTMLResponse(DOCS_PAGE, headers={"content-security-policy": DOCS_POLICY})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The app's icon (an SVG; browsers accept it at this address too)."""
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")
