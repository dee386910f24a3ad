"""Dashboard tables (django-tables2) in GOV.UK table markup."""

from __future__ import annotations

import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2.data import TableQuerysetData

from portal import dates
from portal.paging import COUNT_CAP, capped_count, count_label, ordered_to_the_row, page_ids, rows_for_ids
from workflows.models import Action, Meeting
from workflows.templatetags.meeting_tags import state_tag_html

GOVUK_ATTRS = {
    "class": "govuk-table portal-dashboard-table",
    "thead": {"class": "govuk-table__head"},
    "tbody": {"class": "govuk-table__body"},
    "th": {"class": "govuk-table__header", "scope": "col"},
    "td": {"class": "govuk-table__cell"},
}
ROW_ATTRS = {"class": "govuk-table__row"}


class IdsFirstData(TableQuerysetData):
    """A dashboard's rows as portal.paging reads them: order ending with the id, a count that stops at
    10,000, and each page's ids first, then only those rows with their related data."""

    capped = False

    def set_table(self, table: tables.Table) -> None:
        super().set_table(table)
        self.data = ordered_to_the_row(self.data)

    def order_by(self, aliases) -> None:
        super().order_by(aliases)
        self.data = ordered_to_the_row(self.data)

    def __len__(self) -> int:
        if getattr(self, "_length", None) is None:
            counted = capped_count(self.data)
            self.capped = counted > COUNT_CAP
            self._length = min(counted, COUNT_CAP)
        return self._length

    def __getitem__(self, key):
        if isinstance(key, slice):
            return rows_for_ids(self.data, page_ids(self.data, key.start or 0, key.stop))
        return super().__getitem__(key)


class CappedPaginator(Paginator):
    """Says "10,000+" when the count stopped at the cap."""

    @property
    def count_label(self) -> str:
        data = getattr(self.object_list, "data", None)
        return count_label(self.count, getattr(data, "capped", False))


def _date(value) -> str:
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), dates.day(value)) if value else "—"


def _overdue_tag(overdue: bool) -> str:
    return mark_safe('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') if overdue else ""


def _child_cell(table: tables.Table, record: Meeting | Action) -> str:
    """The child's name, linked only when the user may open the child's record (the view sets
    `visible_children`; a chair or approver who may not gets plain text, not a link to a 404)."""
    visible = getattr(table, "visible_children", None)
    if visible is not None and record.child_id not in visible:
        return record.child.full_name
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>', record.child.get_absolute_url(), record.child.full_name
    )


class MeetingTable(tables.Table):
    reference = tables.Column(verbose_name="Meeting", order_by=("reference",))
    meeting_type = tables.Column(accessor="meeting_type__code", verbose_name="Type")
    child = tables.Column(verbose_name="Child", order_by=("child__last_name", "child__first_name"))
    team = tables.Column(accessor="child__team__name", verbose_name="Team", default="—")
    state = tables.Column(verbose_name="Status")
    due_on = tables.Column(verbose_name="Meeting due")
    minutes_due_on = tables.Column(verbose_name="Minutes due")
    chair = tables.Column(verbose_name="Chair", default="—", order_by=("chair__last_name",))
    is_overdue = tables.Column(verbose_name="Overdue", orderable=True)

    class Meta:
        model = Meeting
        fields = ()
        sequence = (
            "reference",
            "meeting_type",
            "child",
            "team",
            "state",
            "due_on",
            "minutes_due_on",
            "chair",
            "is_overdue",
        )
        attrs = GOVUK_ATTRS
        row_attrs = ROW_ATTRS
        empty_text = "No meetings match these filters."
        order_by = ("due_on",)

    def render_reference(self, record: Meeting) -> str:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("workflows:meeting_detail", args=[record.pk]),
            record,
        )

    def render_child(self, record: Meeting) -> str:
        return _child_cell(self, record)

    def render_state(self, record: Meeting) -> str:
        return state_tag_html(record.state, record.get_state_display())

    def render_due_on(self, value) -> str:
        return _date(value)

    def render_minutes_due_on(self, value) -> str:
        return _date(value)

    def render_chair(self, value) -> str:
        return value.get_full_name() or value.username

    def render_is_overdue(self, value: bool) -> str:
        return _overdue_tag(value)


class ActionTable(tables.Table):
    description = tables.Column(verbose_name="Action")
    child = tables.Column(verbose_name="Child", order_by=("child__last_name", "child__first_name"))
    meeting = tables.Column(verbose_name="Meeting", order_by=("meeting__reference",))
    owner = tables.Column(verbose_name="Owner", empty_values=(), orderable=False)
    due_on = tables.Column(verbose_name="Due")
    status = tables.Column(verbose_name="Status")
    is_overdue = tables.Column(verbose_name="Overdue")

    class Meta:
        model = Action
        fields = ()
        sequence = ("description", "child", "meeting", "owner", "due_on", "status", "is_overdue")
        attrs = GOVUK_ATTRS
        row_attrs = ROW_ATTRS
        empty_text = "No actions match these filters."
        order_by = ("due_on",)

    def render_child(self, record: Action) -> str:
        return _child_cell(self, record)

    def render_meeting(self, record: Action) -> str:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("workflows:meeting_detail", args=[record.meeting_id]),
            record.meeting,
        )

    def render_owner(self, record: Action) -> str:
        if record.owner_id:
            return record.owner.get_full_name() or record.owner.username
        return record.owner_name or "—"

    def render_due_on(self, value) -> str:
        return _date(value)

    def render_status(self, record: Action) -> str:
        return record.get_status_display()

    def render_is_overdue(self, value: bool) -> str:
        return _overdue_tag(value)
