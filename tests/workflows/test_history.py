"""Every change outside a transition is recorded with who, when and what, and can be read (G7).

One mechanism: django-simple-history (audit.history). The rows below are the history tables' own.
"""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from simple_history.middleware import HistoryRequestMiddleware

from audit.history import acting_as, untracked
from forms_builder.models import FormSubmission
from forms_builder.services import submission_save_draft, submission_share, submission_submit
from forms_builder.signals import SubmissionForbidden
from workflows import services
from workflows.meeting_changes import meeting_changes
from workflows.models import Action, Decision, Invitee, Meeting, MeetingReport

from .factories import hold_and_minute, psm_request, schedule, submit_with_reports
from .test_form_links import _minutes_answers, _start_minutes, held_psm  # noqa: F401 - fixture

DAY = date(2026, 3, 6)


@pytest.fixture
def approved(county, people):
    meeting = submit_with_reports(psm_request(people, county), people)
    return services.meeting_approve(meeting=meeting, by=people.team_manager)


def _who(rows) -> list:
    return [(r.history_type, r.history_user) for r in rows]


def test_a_report_marked_received_is_recorded__G7(county, people):
    meeting = psm_request(people, county)
    report = meeting.reports.first()
    services.report_attach(report=report, by=people.ssw, submission_id=None)
    row = MeetingReport.changes.filter(id=report.pk).latest("history_date", "history_id")
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "~",
        people.ssw,
        "report_attach",
    )
    assert row.received_at is not None and row.received_by == people.ssw
    assert row.history_date is not None


def test_invitees_replaced_when_a_meeting_is_rearranged_are_kept__G7(approved, people):
    meeting = schedule(approved, people, chair=people.fostering_manager, day=DAY)
    first = set(meeting.invitees.values_list("pk", "name"))
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=DAY, by=people.team_manager)
    removed = Invitee.changes.filter(meeting_id=meeting.pk, history_type="-")
    assert {(r.id, r.name) for r in removed} == first
    assert {r.history_user for r in removed} == {people.team_manager}
    added = Invitee.changes.filter(meeting_id=meeting.pk, history_type="+")
    assert {r.history_user for r in added if r.id not in {pk for pk, _ in first}} == {people.team_manager}
    assert {r.history_user for r in added if r.id in {pk for pk, _ in first}} == {people.social_worker}


def test_meeting_details_changed_are_recorded_but_not_its_state__G7(approved, people):
    meeting = schedule(approved, people, chair=people.fostering_manager, day=DAY)
    row = Meeting.changes.filter(id=meeting.pk).latest("history_date", "history_id")
    assert (row.history_user, row.venue, row.chair) == (
        people.social_worker,
        "Family centre, room 2",
        meeting.chair,
    )
    assert not hasattr(row, "state")
    what = [c.what for c in meeting_changes(meeting=meeting, user=people.team_manager)]
    assert any(w.startswith("Changed") and "venue: nothing → Family centre, room 2" in w for w in what)


def test_decisions_and_actions_replaced_when_minutes_are_recorded_again_are_kept__G7(approved, people):
    meeting = schedule(approved, people, chair=people.fostering_manager, day=DAY)
    meeting = hold_and_minute(meeting, people)
    old_decision = meeting.decisions.get()
    old_action = meeting.actions.get()
    services.minutes_record(
        meeting=meeting,
        by=people.iro,
        key_issues="Revised",
        decisions=["A move is planned to minimise distress."],
        actions=[],
    )
    # Replaced rows are kept, marked superseded (never deleted), and the history says who replaced them.
    assert not Decision.changes.filter(id=old_decision.pk, history_type="-").exists()
    gone = Decision.changes.get(id=old_decision.pk, history_type="~", superseded_at__isnull=False)
    assert (gone.text, gone.history_user, gone.history_change_reason) == (
        "The placement continues with extra support.",
        people.iro,
        "minutes_record",
    )
    assert Action.changes.get(id=old_action.pk, superseded_at__isnull=False).history_user == people.iro
    assert Decision.changes.get(id=old_decision.pk, history_type="+").history_user == people.fostering_manager
    what = [c.what for c in meeting_changes(meeting=meeting, user=people.auditor)]
    assert "Decision replaced (minutes recorded again): The placement continues with extra support." in what
    assert "Action replaced (minutes recorded again): Arrange weekend respite" in what


def test_an_action_completed_is_recorded__G7(approved, people):
    meeting = hold_and_minute(schedule(approved, people, chair=people.fostering_manager, day=DAY), people)
    action = meeting.actions.get()
    services.action_complete(
        action=action, by=people.fostering_manager, note="Respite arranged.", evaluated="Carers said so."
    )
    row = action.changes.first()
    assert (row.history_type, row.status, row.history_user) == ("~", "done", people.fostering_manager)
    change = action.status_changes.last()  # issue 13: the status history says what was done and how judged
    assert (change.target, change.note, change.evaluated) == ("done", "Respite arranged.", "Carers said so.")


def test_every_save_and_submit_of_a_form_records_who_and_which_version__G7(held_psm, people):  # noqa: F811
    submission = _start_minutes(held_psm, people.fostering_manager)
    submission_share(submission=submission, user=people.ssw, by=people.fostering_manager)
    answers = _minutes_answers(submission, people.ssw.pk)
    # A collaborator without the minutes role may not write them (issue 11); the chair may.
    with pytest.raises(SubmissionForbidden):
        submission_save_draft(
            submission=submission, data={"summary": "First notes"}, expected_version=1, by=people.ssw
        )
    submission = submission_save_draft(
        submission=submission,
        data={"summary": "First notes"},
        expected_version=1,
        by=people.fostering_manager,
    )
    result = submission_submit(
        submission=submission, data=answers, expected_version=submission.version, by=people.fostering_manager
    )
    assert result.ok, result.errors
    rows = FormSubmission.changes.filter(id=submission.pk).order_by("history_date", "history_id")
    assert [(r.history_type, r.history_user, r.status, r.version) for r in rows] == [
        ("+", people.fostering_manager, "draft", 1),
        ("~", people.fostering_manager, "draft", 1),
        ("~", people.fostering_manager, "draft", 2),
        ("~", people.fostering_manager, "draft", 3),
        ("~", people.fostering_manager, "submitted", 4),
    ]
    assert {r.revision_id for r in rows} == {submission.revision_id}
    assert [c.user for c in rows[1].collaborators.all()] == [people.ssw]
    assert rows[1].history_change_reason == "submission_share"
    what = [(c.who, c.what) for c in meeting_changes(meeting=held_psm, user=people.fostering_manager)]
    title = submission.definition.title
    assert (people.fostering_manager, f"Let {people.ssw} edit the draft {title}") in what
    assert (people.fostering_manager, f"Saved the draft {title} 2 times (saves 2 to 3)") in what
    assert (people.fostering_manager, f"Submitted {title} (save 4)") in what


def test_the_signed_in_user_is_recorded_where_no_service_says_who__G7(approved, people):
    def view(request):
        Decision.objects.create(meeting=approved, text="Recorded in a view")
        return HttpResponse()

    request = RequestFactory().post("/")
    request.user = people.team_manager
    HistoryRequestMiddleware(view)(request)
    assert Decision.changes.get(text="Recorded in a view").history_user == people.team_manager
    assert (
        "simple_history.middleware.HistoryRequestMiddleware"
        in __import__("django.conf").conf.settings.MIDDLEWARE
    )


def test_a_task_or_command_names_who_it_acts_for_or_the_system__G7(approved, people):
    Decision.objects.create(meeting=approved, text="By the system")
    with acting_as(people.iro, reason="load_demo"):
        Decision.objects.create(meeting=approved, text="For the IRO")
    assert Decision.changes.get(text="By the system").history_user is None
    row = Decision.changes.get(text="For the IRO")
    assert (row.history_user, row.history_change_reason) == (people.iro, "load_demo")


def test_bulk_writes_are_recorded_unless_seeding__G7(approved, people):
    with acting_as(people.iro):
        (made,) = Decision.objects.bulk_create([Decision(meeting=approved, text="bulk")])
        Decision.objects.filter(pk=made.pk).update(text="bulk, updated")
    assert _who(made.changes.order_by("history_date", "history_id")) == [("+", people.iro), ("~", people.iro)]
    assert made.changes.first().text == "bulk, updated"
    with untracked():
        (seeded,) = Decision.objects.bulk_create([Decision(meeting=approved, text="seed")])
    assert not seeded.changes.exists()


def test_history_rows_cannot_be_changed_or_deleted__G7(approved, people):
    Decision.objects.create(meeting=approved, text="Kept")
    row = Decision.changes.get(text="Kept")
    row.text = "Rewritten"
    for attempt in (row.save, row.delete):
        with pytest.raises(PermissionError), transaction.atomic():
            attempt()
    table = Decision.changes.model._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET text = %s", ["Rewritten"])  # noqa: S608
    assert Decision.changes.get(history_id=row.history_id).text == "Kept"


def test_the_meeting_page_lists_the_changes_to_those_who_may_see_it__G7(client, approved, people):
    meeting = schedule(approved, people, chair=people.fostering_manager, day=DAY)
    client.force_login(people.team_manager)
    page = client.get(reverse("workflows:meeting_detail", args=[meeting.pk])).content.decode()
    invitee = meeting.invitees.exclude(attendance="not_invited").first()
    assert "Other changes" in page and f"Invited {invitee.name}" in page
    assert meeting_changes(meeting=meeting, user=people.other_manager) == []
