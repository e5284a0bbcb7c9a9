"""Any text, however odd, gets findings whose offsets point into it and a score in 0-100."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.coach import CaseContext, check_reply, score

PIECES = st.sampled_from(
    [
        "calm down",
        "mistakes were made",
        '"obviously"',
        "> hopefully\n",
        "by Friday",
        "sorry",
        " ",
        "\n",
        "é",
        "we",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=30),
    st.sampled_from(["ours", "client", "unknown"]),
)
def test_findings_point_into_the_text(parts: list[str], fault: str) -> None:
    text = "".join(parts)
    found = check_reply(text, case_context=CaseContext(fault=fault, legal_review="in_progress"))
    for f in found:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.severity in ("info", "warn", "block")
    assert 0 <= score(found) <= 100
