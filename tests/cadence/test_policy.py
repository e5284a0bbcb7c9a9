"""Pure deadline rules: working hours, holidays, time zones and pauses (P6, P22)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import accord.cadence.policy as policy

MON = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday
HOURS = policy.BusinessHours()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def test_a_late_friday_complaint_is_due_on_monday_morning() -> None:
    due = policy.add_working_time(at(6, 16, 30), timedelta(hours=1), HOURS)
    assert due == at(9, 9, 30)


def test_a_night_complaint_starts_counting_when_the_office_opens() -> None:
    assert policy.add_working_time(at(3, 2, 0), timedelta(hours=4), HOURS) == at(3, 13, 0)


def test_a_day_in_a_target_is_one_working_day() -> None:
    assert policy.add_working_time(MON, timedelta(days=2), HOURS) == at(4, 10, 0)


def test_holidays_are_skipped() -> None:
    hours = policy.BusinessHours(holidays=frozenset({date(2026, 3, 3)}))
    assert policy.add_working_time(at(2, 16, 0), timedelta(hours=2), hours) == at(4, 10, 0)


def test_working_hours_follow_the_workspace_time_zone() -> None:
    hours = policy.BusinessHours(timezone="America/New_York")  # 09:00 EST is 14:00 UTC
    assert policy.add_working_time(at(2, 12, 0), timedelta(hours=1), hours) == at(2, 15, 0)


def test_a_pause_pushes_the_deadline_back_by_the_working_time_it_took() -> None:
    pauses: list[policy.Interval] = [(at(2, 11, 0), at(2, 13, 0))]
    assert policy.add_working_time(MON, timedelta(hours=4), HOURS, pauses) == at(2, 16, 0)


def test_an_open_pause_stops_the_clock() -> None:
    pauses: list[policy.Interval] = [(at(2, 11, 0), None)]
    assert policy.add_working_time(MON, timedelta(hours=4), HOURS, pauses) is None


def test_waiting_on_the_client_ends_when_they_write() -> None:
    events: list[tuple[str, datetime, dict[str, str]]] = [
        ("waiting_on_client", at(2, 11, 0), {}),
        ("message_received", at(2, 15, 0), {}),
    ]
    assert policy.pause_intervals(events) == [(at(2, 11, 0), at(2, 15, 0))]


def test_awaiting_confirmation_pauses_until_the_status_moves_on() -> None:
    events: list[tuple[str, datetime, dict[str, str]]] = [
        ("status_changed", at(2, 11, 0), {"to": "awaiting_confirmation"}),
        ("status_changed", at(3, 11, 0), {"to": "in_conversation"}),
        ("status_changed", at(4, 11, 0), {"to": "awaiting_confirmation"}),
    ]
    assert policy.pause_intervals(events) == [(at(2, 11, 0), at(3, 11, 0)), (at(4, 11, 0), None)]


def test_an_acknowledged_case_has_no_acknowledge_deadline_but_an_update_one() -> None:
    facts = policy.ClockFacts("acknowledged", MON, at(2, 10, 30), None, [])
    clock = policy.compute_clock(facts, policy.DEFAULT_TARGETS[4], HOURS)
    assert clock.acknowledge_due_at is None
    assert clock.update_due_at == at(2, 14, 30)
    assert clock.resolve_due_at == at(4, 10, 0)


def test_resolved_cases_have_no_deadlines() -> None:
    facts = policy.ClockFacts("resolved", MON, MON, MON, [])
    assert policy.compute_clock(facts, policy.DEFAULT_TARGETS[2], HOURS) == policy.ClockTimes(
        None, None, None, None
    )


def test_without_a_playbook_our_own_targets_apply() -> None:
    assert policy.targets_for(None, 4).acknowledge_within == timedelta(hours=1)
    assert policy.follow_up_delay(None) == timedelta(days=14)
