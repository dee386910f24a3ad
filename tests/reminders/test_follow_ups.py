"""Follow-ups not started: a follow-up task created when a meeting closed (for example the looked-after
review the disruption meeting's pack asks for) that nobody has started by its due date is chased along
its own ladder (issue 13).

The shipped default ladder (reminders/defaults.py, follow_up_not_started): owner and the child's IRO on
the first working day late, the team manager after 3 working days, the head of service after 8. On
England's calendar from a due date of Thu 24 Dec 2026: 1st working day late Tue 29 Dec, 3rd Thu 31 Dec,
8th Fri 8 Jan 2027 (25 and 28 Dec and 1 Jan are bank holidays).
"""

from datetime import date

import pytest

from reminders.sweep import reminders_sweep
from tests.reminders.test_sweep import XMAS_EVE, _late_meeting, _sent
from workflows import services
from workflows.choices import MeetingState
from workflows.models import Action, PackSetting

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(people, county):
    PackSetting.objects.update_or_create(pack=county, key="head_of_service", defaults={"value": "qr"})
    return people.qr_manager


def _follow_up(people, county) -> Action:
    meeting = _late_meeting(people, county, due=date(2026, 12, 1), state=MeetingState.CLOSED)
    return Action.objects.create(
        meeting=meeting,
        child=meeting.child,
        description="Convene a looked-after review for the child",
        owner=people.social_worker,
        due_on=XMAS_EVE,
        evaluation="Recorded at the child's next looked-after review.",
        follow_up_key="convene_lac_review",
    )


def test_follow_up_not_started_reminds_owner_and_iro_then_manager_then_head__issue13(people, county, head):
    _follow_up(people, county)
    assert _sent(reminders_sweep(today=date(2026, 12, 28))) == []  # Boxing Day (substitute): nothing
    first = reminders_sweep(today=date(2026, 12, 29))
    assert _sent(first) == [("follow_up_not_started", "iro"), ("follow_up_not_started", "sw")]
    assert all("has not been started (1 working day late)" in r.body for r in first)
    assert reminders_sweep(today=date(2026, 12, 29)) == []  # the same day twice: nothing twice
    assert _sent(reminders_sweep(today=date(2026, 12, 31))) == [("follow_up_not_started", "tm")]
    assert reminders_sweep(today=date(2027, 1, 7)) == []
    assert _sent(reminders_sweep(today=date(2027, 1, 8))) == [("follow_up_not_started", "qr")]


def test_a_started_follow_up_is_no_longer_not_started_but_still_chased_as_overdue__issue13(people, county):
    follow_up = _follow_up(people, county)
    services.action_status_set(
        action=follow_up, by=people.social_worker, status="in_progress", note="Date set."
    )
    rows = reminders_sweep(today=date(2026, 12, 29))
    assert _sent(rows) == [("action_overdue", "iro"), ("action_overdue", "sw")]


def test_an_ordinary_overdue_action_is_not_a_follow_up__issue13(people, county):
    follow_up = _follow_up(people, county)
    Action.objects.filter(pk=follow_up.pk).update(follow_up_key="")
    assert _sent(reminders_sweep(today=date(2026, 12, 29))) == [
        ("action_overdue", "iro"),
        ("action_overdue", "sw"),
    ]
