"""Client files sent back to a signed-in browser or API caller: always a download, never rendered."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi.responses import Response

ASCII_NAME = re.compile(r"[^A-Za-z0-9._ -]")


def attachment_response(filename: str, data: bytes) -> Response:
    """Bytes as a download: octet-stream, nosniff, attachment disposition (client files never render)."""
    fallback = ASCII_NAME.sub("_", filename) or "attachment"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    headers = {
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Cache-Control": "private, no-store",
    }
    return Response(content=data, media_type="application/octet-stream", headers=headers)
