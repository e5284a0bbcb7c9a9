"""The monthly report as a PDF drawn by fpdf2 (pure Python, no browser needed) (P24).

DejaVu Sans (Debian's fonts-dejavu) is used when installed so any client name prints; without it the
built-in Helvetica is used and characters outside Latin-1 print as "?".
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from accord.insights.monthly import MonthlyReport

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
INK = (31, 41, 51)
ACCENT = (47, 93, 98)
MUTED = (82, 96, 109)


class _Doc(FPDF):
    """An A4 page with the report's fonts."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=16)
        self.unicode = (DEJAVU / "DejaVuSans.ttf").exists() and (DEJAVU / "DejaVuSans-Bold.ttf").exists()
        if self.unicode:
            self.add_font("body", "", str(DEJAVU / "DejaVuSans.ttf"))
            self.add_font("body", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
        self.family = "body" if self.unicode else "helvetica"

    def text_of(self, value: str) -> str:
        """Text the font can draw."""
        return value if self.unicode else value.encode("latin-1", "replace").decode("latin-1")

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(3)
        self.set_font(self.family, "B", size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 7, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def paragraph(self, text: str, *, muted: bool = False) -> None:
        self.set_font(self.family, "", 10)
        self.set_text_color(*(MUTED if muted else INK))
        self.multi_cell(0, 5.2, self.text_of(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def bullets(self, lines: list[str], empty: str = "Nothing this month.") -> None:
        if not lines:
            self.paragraph(empty, muted=True)
        for line in lines:
            self.paragraph(f"\u2022 {line}" if self.unicode else f"- {line}")


def _kpis(doc: _Doc, report: MonthlyReport) -> None:
    row, view = report.view.overall, report.view
    rating = "-" if row.rating_mean is None else f"{row.rating_mean}/5"
    cells = [
        (str(row.opened), "new conflicts"),
        (str(row.closed), "resolved"),
        (f"{row.concession_cost:,.2f}", "concessions"),
        (f"{view.revenue_at_risk:,.0f}", "revenue at risk / month"),
        (rating, "handling rating"),
    ]
    width = (doc.w - doc.l_margin - doc.r_margin) / len(cells)
    top = doc.get_y() + 2
    for i, (value, label) in enumerate(cells):
        x = doc.l_margin + i * width
        doc.set_draw_color(203, 210, 217)
        doc.rect(x + 1, top, width - 2, 16)
        doc.set_xy(x + 3, top + 2)
        doc.set_font(doc.family, "B", 13)
        doc.cell(width - 6, 6, doc.text_of(value))
        doc.set_xy(x + 3, top + 9)
        doc.set_font(doc.family, "", 7.5)
        doc.set_text_color(*MUTED)
        doc.cell(width - 6, 5, doc.text_of(label))
        doc.set_text_color(*INK)
    doc.set_xy(doc.l_margin, top + 19)


def _risk_lines(report: MonthlyReport) -> list[str]:
    view = report.view
    lines = [
        f"{c.name}: {c.monthly_value:,.0f} a month, a serious case is open" for c in view.clients_at_risk
    ]
    if view.repeat_clients:
        lines.append(
            "Repeat conflicts: " + ", ".join(f"{c.name} ({c.conflicts})" for c in view.repeat_clients)
        )
    if view.lost:
        lines.append("Lost within 90 days of a conflict: " + ", ".join(c.name for c in view.lost))
    return lines


def pdf_bytes(report: MonthlyReport) -> bytes:
    """The report as an A4 PDF, in memory (a download, a mail attachment, or a file)."""
    doc = _Doc()
    doc.set_title(f"Conflict review {report.title}")
    doc.add_page()
    doc.heading(f"Conflict review: {report.title}", size=18)
    doc.paragraph("What went wrong, what it cost, who is at risk, and what we change (P24).", muted=True)
    _kpis(doc, report)
    doc.heading("What went wrong")
    doc.bullets(report.went_wrong)
    causes = [
        f"{c['reference']} {c['client']}: {c['root_cause'] or '-'} -> {c['what_we_change'] or '-'}"
        for c in report.view.root_causes[:8]
    ]
    if causes:
        doc.paragraph("Root causes and what we change:", muted=True)
        doc.bullets(causes)
    doc.heading("What it cost")
    doc.bullets(report.cost_lines)
    doc.heading("Who is at risk")
    doc.bullets(_risk_lines(report), empty="No client has a serious case open.")
    _lessons(doc, report)
    return bytes(doc.output())


def _lessons(doc: _Doc, report: MonthlyReport) -> None:
    doc.heading("Change in onboarding (P1)")
    doc.bullets([lesson.text for lesson in report.lessons_for("onboarding")])
    doc.heading("Change in the playbook (P2)")
    doc.bullets([lesson.text for lesson in report.lessons_for("playbook")])
    review = [lesson.text for lesson in report.lessons_for("review")]
    if review:
        doc.heading("To review")
        doc.bullets(review)
    comments = [f'{c["client"]} ({c["rating"]}/5): "{c["comment"]}"' for c in report.view.comments[:5]]
    if comments:
        doc.heading("In the clients' words")
        doc.bullets(comments)


def render_pdf(report: MonthlyReport, out: Path) -> Path:
    """Write the report to `out`."""
    data = pdf_bytes(report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
