"""Pure email parsing: malformed, huge, invalid UTF-8, HTML, attachments (P3, rule 8)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from accord.intake.email import html_to_text, parse_email, safe_filename


def _mail(body: str = "The invoice is wrong.", **headers: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = headers.pop("From", "Carla Client <carla@acme.example>")
    msg["To"] = "help@desk.example"
    msg["Subject"] = headers.pop("Subject", "Invoice charged twice")
    msg["Message-ID"] = headers.pop("Message_ID", "<m1@acme.example>")
    msg["Date"] = headers.pop("Date", "Thu, 03 Dec 2026 08:00:00 +0000")
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


def test_plain_email_gives_sender_subject_body_and_ids() -> None:
    parsed = parse_email(_mail(In_Reply_To="<m0@desk.example>", References="<a@x> <m0@desk.example>"))
    assert parsed.sender == "carla@acme.example"
    assert parsed.recipients == ["help@desk.example"]
    assert parsed.subject == "Invoice charged twice"
    assert parsed.body == "The invoice is wrong."
    assert parsed.message_id == "<m1@acme.example>"
    assert parsed.thread_ids == ["<m0@desk.example>", "<a@x>"]
    assert parsed.problems == []


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\x01\x02",
        b"From: <<<>>>\n\nbody",
        b"Subject: =?utf-8?q?broken\n\n",
        b"no headers at all" * 50,
    ],
)
def test_malformed_input_never_raises_and_names_problems(raw: bytes) -> None:
    parsed = parse_email(raw)
    assert parsed.problems


def test_legacy_text_labelled_utf8_is_read_as_windows_1252_and_reported() -> None:
    raw = (
        b"From: a@b.example\nMessage-ID: <x@y>\nContent-Type: text/plain; charset=utf-8\n\n"
        b"na\xefve \xff bytes"
    )
    parsed = parse_email(raw)
    assert parsed.body == "na\u00efve \u00ff bytes"
    assert any(p.startswith("Invalid UTF-8") for p in parsed.problems)


def test_utf8_with_a_broken_byte_keeps_the_rest_and_marks_the_gap() -> None:
    head = b"From: a@b.example\nMessage-ID: <x@y>\nContent-Type: text/plain; charset=utf-8\n\n"
    parsed = parse_email(head + "na\u00efve ".encode() + b"\xff bytes")
    assert parsed.body == "na\u00efve \ufffd bytes"
    assert any("some bytes are not valid UTF-8" in p for p in parsed.problems)


def test_huge_body_is_truncated_to_the_limit_with_a_problem() -> None:
    parsed = parse_email(_mail("x" * 150_000))
    assert len(parsed.body) == 100_000
    assert any("kept the first 100000" in p for p in parsed.problems)


def test_missing_message_id_is_a_problem() -> None:
    raw = b"From: a@b.example\nSubject: hi\n\nhello"
    parsed = parse_email(raw)
    assert parsed.message_id is None
    assert any("Message-ID" in p for p in parsed.problems)


def test_html_only_email_drops_scripts_and_styles() -> None:
    msg = EmailMessage()
    msg["From"] = "a@b.example"
    msg["Message-ID"] = "<h@b>"
    msg.set_content(
        "<html><head><style>p{color:red}</style></head><body><script>alert('x')</script>"
        "<p>Site is <b>down</b> &amp; we lose sales</p></body></html>",
        subtype="html",
    )
    parsed = parse_email(msg.as_bytes())
    assert parsed.body == "Site is down & we lose sales"
    assert "alert" not in parsed.body and "color" not in parsed.body


def test_plain_part_is_preferred_and_attachments_are_metadata_only() -> None:
    msg = EmailMessage()
    msg["From"] = "a@b.example"
    msg["Message-ID"] = "<att@b>"
    msg.set_content("See the screenshot.")
    msg.add_alternative("<p>HTML version</p>", subtype="html")
    msg.add_attachment(
        b"MZ\x90\x00evil", maintype="application", subtype="octet-stream", filename="../../etc/run me.exe"
    )
    parsed = parse_email(msg.as_bytes())
    assert parsed.body == "See the screenshot."
    assert [(a.filename, a.content_type, a.size) for a in parsed.attachments] == [
        ("run me.exe", "application/octet-stream", 8)
    ]


def test_safe_filename_strips_paths_and_odd_characters() -> None:
    assert safe_filename("C:\\Users\\x\\<evil>.pdf") == "_evil_.pdf"
    assert safe_filename("..") == "attachment"
    assert safe_filename(None) == "attachment"


def test_html_to_text_survives_broken_markup() -> None:
    assert html_to_text("<p>open <b>never closed <script>x") == "open never closed"
