"""P2, P19: the exported playbook states each remedy's limits in units, as a share of value and a maximum."""

from __future__ import annotations

from accord.playbook.export import to_html, to_markdown
from accord.playbook.loader import default_playbook


def test_exported_limits_carry_units_shares_and_maxima() -> None:
    markdown = to_markdown(default_playbook())
    assert "limit 15 %, at most 25 % of the monthly value, never over 50 %" in markdown
    assert "limit 500 EUR" in markdown and "limit 6 hours" in markdown
    assert "limit 6 hours" in to_html(default_playbook())
