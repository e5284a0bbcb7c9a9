"""Hostile input never crashes the parsers: only clean results or readable `Invalid` errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import Invalid

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADERS = st.sampled_from(
    [
        "From",
        "To",
        "Subject",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Content-Disposition",
        "X-Junk",
    ]
)
LINE = st.tuples(HEADERS, st.text(max_size=80)).map(lambda kv: f"{kv[0]}: {kv[1]}")


@FAST
@given(st.lists(LINE, max_size=8), st.binary(max_size=2000))
def test_email_parser_survives_any_message(headers: list[str], body: bytes) -> None:
    email = pytest.importorskip("accord.intake.email")
    raw = ("\r\n".join(headers) + "\r\n\r\n").encode("utf-8", "surrogatepass") + body
    parsed = email.parse_email(raw)
    assert parsed is not None


@FAST
@given(st.text(max_size=300))
def test_html_to_text_never_returns_markup_it_was_given(markup: str) -> None:
    email = pytest.importorskip("accord.intake.email")
    text = email.html_to_text(markup + "<script>x</script>")
    assert "<script>" not in text


@FAST
@given(st.text(max_size=200))
def test_attachment_names_are_always_safe(name: str) -> None:
    email = pytest.importorskip("accord.intake.email")
    safe = email.safe_filename(name)
    assert "/" not in safe and "\\" not in safe and not safe.startswith(".") and "\x00" not in safe


YAMLISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
    max_leaves=20,
)


@FAST
@given(st.text(max_size=500))
def test_playbook_loader_refuses_garbage_text_readably(source: str) -> None:
    loader = pytest.importorskip("accord.playbook.loader")
    try:
        loader.parse_playbook(source)
    except Invalid as exc:
        assert exc.message


@FAST
@given(YAMLISH)
def test_playbook_loader_refuses_wrong_shapes_readably(data: object) -> None:
    loader = pytest.importorskip("accord.playbook.loader")
    yaml = pytest.importorskip("yaml")
    try:
        loader.parse_playbook(yaml.safe_dump({"extends": "default", "steps": data}))
    except Invalid as exc:
        assert exc.message
