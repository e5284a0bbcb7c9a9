"""Evidence highlighting escapes every piece of client text (rule 8)."""

from __future__ import annotations

from markupsafe import Markup

from accord.web.panels import place_evidence
from accord.web.render import highlight


def test_highlight_marks_spans_and_escapes_the_rest() -> None:
    text = "<b>We</b> will sue you"
    start = text.index("sue")
    html = highlight(text, [(start, start + 3, "legal_threat")])
    assert isinstance(html, Markup)
    assert (
        str(html) == '&lt;b&gt;We&lt;/b&gt; will <mark class="ev" data-signal="legal_threat" '
        'title="legal_threat">sue</mark> you'
    )


def test_highlight_escapes_inside_a_span_and_the_signal_name() -> None:
    html = str(highlight("<script>x</script>", [(0, 8, '"><script>')]))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_overlapping_and_out_of_range_spans_are_ignored() -> None:
    html = str(highlight("abcdef", [(0, 3, "a"), (2, 5, "b"), (4, 99, "c"), (5, 2, "d")]))
    assert html.count("<mark") == 2
    assert html.endswith(">ef</mark>")


def test_evidence_is_placed_in_the_subject_or_the_body() -> None:
    subject, body = "Portal down", "We will call our attorneys about the losses."
    text = f"{subject}\n{body}"
    evidence = [
        {"start": 7, "end": 11, "text": "down", "signal": "category"},
        {
            "start": text.index("attorneys"),
            "end": text.index("attorneys") + 9,
            "text": "attorneys",
            "signal": "legal",
        },
    ]
    in_subject, in_body = place_evidence(subject, body, evidence)
    assert in_subject == [(7, 11, "category")]
    start = body.index("attorneys")
    assert in_body == [(start, start + 9, "legal")]


def test_evidence_that_does_not_match_the_text_is_dropped() -> None:
    assert place_evidence("", "short", [{"start": 0, "end": 5, "text": "other", "signal": "x"}]) == ([], [])
