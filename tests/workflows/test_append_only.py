"""History and approval rows cannot be changed or deleted, in Django or in SQL (G7)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError

from audit.append_only import append_only_models, protected_tables
from dashboards.models import ExportLog
from workflows import services
from workflows.models import MeetingApproval, MeetingTransition

from .factories import psm_request, submit_with_reports

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


@pytest.fixture
def approved(county, people):
    meeting = submit_with_reports(psm_request(people, county), people)
    return services.meeting_approve(meeting=meeting, by=people.team_manager, note="Go ahead")


def _sql(statement: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_approval_cannot_be_changed_or_deleted_in_django__G7(approved):
    approval = MeetingApproval.objects.get(meeting=approved)
    approval.reason = "rewritten"
    attempts = [
        approval.save,
        approval.delete,
        lambda: MeetingApproval.objects.filter(pk=approval.pk).update(reason="x"),
        lambda: MeetingApproval.objects.filter(pk=approval.pk).delete(),
        lambda: MeetingApproval._base_manager.filter(pk=approval.pk).delete(),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionError), transaction.atomic():
            attempt()
    approval.refresh_from_db()
    assert approval.reason == "Go ahead"


def test_the_base_manager_and_raw_sql_cannot_update_history__G7(approved, people):
    """Both databases: the trigger refuses an UPDATE that bypasses every Django guard."""
    transition = MeetingTransition.objects.filter(meeting=approved).last()
    approval = MeetingApproval.objects.get(meeting=approved)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingTransition._base_manager.filter(pk=transition.pk).update(reason="rewritten")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingApproval._base_manager.filter(pk=approval.pk).update(decision="declined")
    table = MeetingApproval._meta.db_table
    with pytest.raises(IntegrityError):
        _sql(f"UPDATE {table} SET reason = %s WHERE id = %s", ["x", approval.pk])  # noqa: S608
    log = ExportLog.objects.create(user=people.auditor, kind="meetings", rows=3)
    with pytest.raises(IntegrityError):
        _sql(f"UPDATE {ExportLog._meta.db_table} SET rows = %s WHERE id = %s", [0, log.pk])  # noqa: S608
    transition.refresh_from_db()
    approval.refresh_from_db()
    assert (transition.reason, approval.decision, approval.reason) == ("Go ahead", "approved", "Go ahead")


@pytest.mark.postgres
@postgres_only
def test_raw_sql_cannot_delete_history_on_postgresql__G7(approved, people):
    for model in (MeetingTransition, MeetingApproval):
        with pytest.raises(IntegrityError, match="history"):
            _sql(f"DELETE FROM {model._meta.db_table} WHERE meeting_id = %s", [approved.pk])  # noqa: S608
    log = ExportLog.objects.create(user=people.auditor, kind="meetings", rows=3)
    with pytest.raises(IntegrityError, match="history"):
        _sql(f"DELETE FROM {ExportLog._meta.db_table} WHERE id = %s", [log.pk])  # noqa: S608
    assert MeetingApproval.objects.filter(meeting=approved).count() == 1
    assert MeetingTransition.objects.filter(meeting=approved).count() == 3


def test_deleting_a_meeting_does_not_take_its_history_with_it__G7(approved):
    with pytest.raises((ProtectedError, PermissionError)), transaction.atomic():
        approved.delete()
    assert MeetingApproval.objects.filter(meeting=approved).exists()


def test_every_history_table_carries_the_trigger__G7(db):
    """A new history table (e.g. a newly tracked model) is protected after migrate, on either database."""
    tables = {m._meta.db_table for m in append_only_models()}
    assert {"workflows_meetingtransition", "workflows_meetingapproval", "dashboards_exportlog"} <= tables
    assert tables <= protected_tables()
