"""Due soon and compliance dashboards against hand-computed figures on seeded meetings.

Meetings are created through the request service (so they carry real stored deadlines and policy
revisions), then their dates and states are set directly to the scenario being counted.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dashboards import compliance
from dashboards.duesoon import due_soon
from tests.workflows.factories import psm_request
from workflows.choices import ActionStatus, MeetingState
from workflows.models import Action, Meeting, MeetingReport, MeetingTransition, PackSetting

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _at(d: date, hour: int = 12) -> datetime:
    return datetime.combine(d, time(hour), tzinfo=LONDON)


def _set(meeting: Meeting, **fields) -> Meeting:
    Meeting.objects.filter(pk=meeting.pk).update(**fields)
    return Meeting.objects.get(pk=meeting.pk)


def _report(meeting, due, received=None, label="Report") -> MeetingReport:
    return MeetingReport.objects.create(
        meeting=meeting,
        form_key="psm-report",
        label=label,
        author_role="supervising_social_worker",
        timing="before_meeting",
        due_on=due,
        due_explanation=f"Due {due:%d %b}",
        received_at=_at(received) if received else None,
    )


# ---------------------------------------------------------------------------------------------- due soon


@pytest.fixture
def upcoming(people, county):
    m = {k: psm_request(people, county) for k in "abcde"}  # concern raised Mon 2 Mar 2026: due Mon 9 Mar
    MeetingReport.objects.all().delete()  # the request's own reports: the scenario sets its own
    m["b"] = _set(m["b"], state=MeetingState.AWAITING_APPROVAL, due_on=date(2026, 3, 3))
    m["c"] = _set(
        m["c"], state=MeetingState.HELD, minutes_due_on=date(2026, 3, 6), minutes_due_explanation="5 days"
    )
    m["d"] = _set(m["d"], state=MeetingState.SCHEDULED, due_on=date(2026, 3, 10))  # the 6th working day
    m["e"] = _set(m["e"], due_on=date(2026, 2, 27))  # overdue, not due soon
    _report(m["a"], date(2026, 3, 4), label="Supervising social worker's report")
    _report(m["a"], date(2026, 3, 4), received=date(2026, 3, 3), label="Received already")
    return m


def test_due_soon_lists_meetings_approvals_reports_and_minutes_in_the_next_5_working_days__G2(
    people, upcoming
):
    items = list(due_soon(people.auditor, today=date(2026, 3, 2)))
    got = [(i["kind"], i["ref"], i["due"]) for i in items]
    m = upcoming
    assert got == [
        ("approval", m["b"].reference, date(2026, 3, 3)),
        ("report", m["a"].reference, date(2026, 3, 4)),
        ("minutes", m["c"].reference, date(2026, 3, 6)),
        ("meeting", m["a"].reference, date(2026, 3, 9)),
    ]
    assert items[-1]["why"] == m["a"].deadline_explanation and "9 Mar 2026" in items[-1]["why"]
    six = due_soon(people.auditor, today=date(2026, 3, 2), days=6)
    assert six.count() == 5 and m["d"].reference in {i["ref"] for i in six}
    only_reports = due_soon(people.auditor, today=date(2026, 3, 2), kinds=["report"])
    assert [i["what"] for i in only_reports] == ["Supervising social worker's report"]


def test_due_soon_skips_christmas_bank_holidays__G2(people, county):
    a, b = psm_request(people, county), psm_request(people, county)
    _set(a, due_on=date(2026, 12, 29))  # Wed 23 Dec + 2 working days: Thu 24, (25, 28 holidays) Tue 29
    _set(b, due_on=date(2026, 12, 30))
    refs = {i["ref"] for i in due_soon(people.auditor, today=date(2026, 12, 23), days=2)}
    assert refs == {a.reference}


def test_due_soon_is_scoped_to_the_users_meetings__G3(people, upcoming):
    assert due_soon(people.other_manager, today=date(2026, 3, 2)).count() == 0
    assert due_soon(people.team_manager, today=date(2026, 3, 2)).count() == 4


# ---------------------------------------------------------------------------------------------- compliance

TODAY = date(2026, 3, 15)
MARCH = {"first": date(2026, 3, 1), "last": date(2026, 3, 31), "today": TODAY}


def _decided(meeting, day) -> None:
    MeetingTransition.objects.create(
        meeting=meeting, name="approve", source="awaiting_approval", target="approved", at=_at(day)
    )


@pytest.fixture
def march(people, county):
    """Five PSMs requested Mon 2 Mar 2026 (due Mon 9 Mar), in the North team."""
    m = [psm_request(people, county) for _ in range(5)]
    MeetingReport.objects.all().delete()
    m[0] = _set(
        m[0],
        state=MeetingState.HELD,
        held_at=_at(date(2026, 3, 6)),
        wishes_and_feelings_recorded=True,
        minutes_due_on=date(2026, 3, 13),
        minutes_approved_at=_at(date(2026, 3, 12)),
    )
    m[1] = _set(
        m[1],
        state=MeetingState.HELD,
        held_at=_at(date(2026, 3, 11)),
        minutes_due_on=date(2026, 3, 14),
    )
    m[2] = _set(m[2], state=MeetingState.SCHEDULED)  # never held, deadline passed: missed
    m[3] = _set(m[3], state=MeetingState.SCHEDULED, due_on=date(2026, 3, 20))  # not due yet: left out
    m[4] = _set(m[4], state=MeetingState.CANCELLED, cancel_reason="Placement stabilised")
    _decided(m[0], date(2026, 3, 4))  # 2 working days after 2 Mar: in time
    _decided(m[1], date(2026, 3, 5))  # 3 working days: late
    _decided(m[3], date(2026, 3, 3))  # in time; m[2] never decided: late; m[4] cancelled undecided: out
    _report(m[0], date(2026, 3, 5), received=date(2026, 3, 5))  # on time
    _report(m[0], date(2026, 3, 6), received=date(2026, 3, 9))  # late
    _report(m[1], date(2026, 3, 10))  # not received, past due: late
    _report(m[1], date(2026, 3, 20))  # not due yet: left out
    _report(m[4], date(2026, 3, 5))  # cancelled meeting: left out
    child = m[0].child

    def action(due, status=ActionStatus.OPEN, done=None):
        Action.objects.create(
            meeting=m[0],
            child=child,
            description="x",
            due_on=due,
            status=status,
            completed_at=_at(done) if done else None,
        )

    action(date(2026, 3, 10), ActionStatus.DONE, date(2026, 3, 9))  # on time
    action(date(2026, 3, 10), ActionStatus.DONE, date(2026, 3, 12))  # late
    action(date(2026, 3, 11))  # open past its date: late
    action(date(2026, 3, 25))  # not due yet: left out
    action(date(2026, 3, 11), ActionStatus.DROPPED)  # dropped: left out
    return m


def _figures(user, **kw) -> dict[str, compliance.Figure]:
    return {f.measure.key: f for f in compliance.figures(user=user, **MARCH, **kw)}


def test_compliance_figures_match_hand_computed_counts(people, march):
    f = _figures(people.auditor)
    assert (f["held_in_window"].total, f["held_in_window"].met) == (3, 1)  # PSM: m0 on time; m1, m2 not
    assert (f["views_recorded"].total, f["views_recorded"].met) == (2, 1)
    assert (f["minutes_on_time"].total, f["minutes_on_time"].met) == (2, 1)
    assert (f["requests_decided"].total, f["requests_decided"].met) == (4, 2)
    assert (f["reports_on_time"].total, f["reports_on_time"].met) == (3, 1)
    assert (f["actions_on_time"].total, f["actions_on_time"].met) == (3, 1)
    assert f["requests_decided"].percent == 50.0


def test_each_figure_is_the_count_of_its_list(people, march):
    for figure in compliance.figures(user=people.auditor, **MARCH):
        listed = compliance.cases(figure.measure, user=people.auditor, **MARCH)
        assert listed.count() == figure.total, figure.measure.slug
        met = compliance.cases(figure.measure, user=people.auditor, outcome="met", **MARCH)
        missed = compliance.cases(figure.measure, user=people.auditor, outcome="missed", **MARCH)
        assert (met.count(), missed.count()) == (figure.met, figure.missed), figure.measure.slug


def test_views_measure_agrees_with_the_meetings_own_flag__G6(people, march):
    measure = compliance.measure_by_slug("views_recorded")
    missed = compliance.cases(measure, user=people.auditor, outcome="missed", **MARCH)
    assert [m.pk for m in missed] == [march[1].pk]
    assert all(m.lacks_wishes_and_feelings for m in missed)
    met = compliance.cases(measure, user=people.auditor, outcome="met", **MARCH)
    assert not any(m.lacks_wishes_and_feelings for m in met)


def test_compliance_is_scoped_and_filtered_by_team(people, march):
    assert _figures(people.other_manager)["held_in_window"].total == 0
    assert _figures(people.auditor, team_id=people.other_team.pk)["actions_on_time"].total == 0
    assert _figures(people.auditor, team_id=people.cs_team.pk)["actions_on_time"].total == 3


def test_compliance_trend_by_month_agrees_with_the_months_figure(people, march):
    measure = compliance.measure_by_slug("reports_on_time")
    trend = compliance.trend(measure, user=people.auditor, today=TODAY, months=3)
    assert [(start, f.total, f.met) for start, f in trend] == [
        (date(2026, 1, 1), 0, 0),
        (date(2026, 2, 1), 0, 0),
        (date(2026, 3, 1), 3, 1),
    ]


def test_decision_timescale_comes_from_the_pack_setting_when_present(people, march, county):
    PackSetting.objects.create(
        pack=county, key=compliance.DECISION_SETTING, label="Decide requests within", value="3"
    )
    f = _figures(people.auditor)
    assert (f["requests_decided"].total, f["requests_decided"].met) == (4, 3)  # m1 now in time
