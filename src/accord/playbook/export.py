"""Render the playbook as a document the whole team can read: Markdown, HTML or PDF (P2)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

from jinja2 import Environment, select_autoescape

from accord.errors import Invalid, Unavailable
from accord.playbook.definition import Playbook, Step

FORMATS = ("md", "html", "pdf")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
PHASE_TITLES = {
    "intake": "When a complaint arrives",
    "preparation": "Prepare before you answer",
    "business": "When we have a problem with the client",
    "mistake": "When we made the mistake",
    "conversation": "The conversation: six steps",
    "resolution": "Reaching a resolution",
    "follow_through": "Follow-through",
}
SITUATION_WORDS = {
    "client_raised": "client raised it",
    "we_made_mistake": "our mistake",
    "business_raised": "we raise it",
}


def human_duration(value: timedelta) -> str:
    """'4 hours', '2 days', '30 minutes': how people say response targets."""
    seconds = int(value.total_seconds())
    for unit, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds // 60} minutes"


def when_applies(step: Step) -> str:
    """A short plain phrase for when a step applies."""
    parts = []
    if len(step.situations) < 3:
        parts.append(" or ".join(SITUATION_WORDS[s] for s in step.situations))
    if step.min_severity > 1:
        parts.append(f"severity {step.min_severity}+")
    if step.only_if_legal_review:
        parts.append("when a legal review is triggered")
    if step.required_before:
        parts.append(f"required before {step.required_before.replace('_', ' ')}")
    return "; ".join(parts) or "every case"


def _ordered_groups(playbook: Playbook) -> list[tuple[str, list[Step]]]:
    order = ("intake", "preparation", "business", "mistake", "conversation", "resolution", "follow_through")
    groups = [(PHASE_TITLES[p], [s for s in playbook.steps if s.phase == p]) for p in order]
    return [(title, steps) for title, steps in groups if steps]


_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True)
_ENV.filters["duration"] = human_duration
_ENV.filters["applies"] = when_applies

TEMPLATES = Path(__file__).with_name("templates")


def to_markdown(playbook: Playbook) -> str:
    """The playbook as Markdown (text is not HTML-escaped: Markdown readers show it as written)."""
    env = Environment(autoescape=False, trim_blocks=True)
    env.filters.update(_ENV.filters)
    source = (TEMPLATES / "playbook.md").read_text(encoding="utf-8")
    return env.from_string(source).render(p=playbook, groups=_ordered_groups(playbook))


def to_html(playbook: Playbook) -> str:
    """The playbook as one self-contained, escaped HTML page."""
    source = (TEMPLATES / "playbook.html").read_text(encoding="utf-8")
    return _ENV.from_string(source).render(p=playbook, groups=_ordered_groups(playbook))


def find_chromium() -> str | None:
    """The headless Chromium used to print PDFs, if installed."""
    found = next((c for c in CHROMIUM_CANDIDATES if Path(c).exists()), None)
    return found or shutil.which("chromium")


def to_pdf(playbook: Playbook, out: Path) -> Path:
    """Print the HTML page to PDF with headless Chromium (no network, throw-away profile)."""
    chromium = find_chromium()
    if chromium is None:
        raise Invalid("PDF export needs Chromium: install it (apt-get install chromium) or export html.")
    with tempfile.TemporaryDirectory(prefix="accord-pdf-") as tmp:
        page = Path(tmp) / "playbook.html"
        page.write_text(to_html(playbook), encoding="utf-8")
        args = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}", page.resolve().as_uri(),
        ]  # fmt: skip
        try:
            subprocess.run(args, check=True, capture_output=True, timeout=120)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise Unavailable(f"Chromium could not print the PDF: {exc}.") from exc
    if not out.exists() or out.stat().st_size == 0:
        raise Unavailable("Chromium ran but wrote no PDF.")
    return out


def render(playbook: Playbook, fmt: str) -> str:
    """Markdown or HTML text for `fmt`."""
    if fmt == "md":
        return to_markdown(playbook)
    if fmt == "html":
        return to_html(playbook)
    raise Invalid(f"Unknown export format '{fmt}'. Choose one of: {', '.join(FORMATS)}.")
