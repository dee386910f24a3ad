"""The lists: meetings the user may see, requests waiting for their decision, their actions."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portal.paging import IdsFirstPaginator

from .. import policy as rules_of
from ..filters import MeetingListFilter
from ..selectors import (
    QUEUE_READ_MOST,
    actions_for_iro,
    actions_for_user,
    approval_queue_page,
    meeting_type_rules_deferred,
    meetings_for_user,
)
from .common import (
    visible_children,
)

PER_PAGE = 25


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings the user may see, soonest deadline first, filtered by status and type."""
    today = timezone.localdate()
    meetings = (
        meetings_for_user(request.user)
        .select_related("child__team")
        .defer(*meeting_type_rules_deferred("meeting_type__"))
        .with_overdue(today)
        .order_by("due_on", "pk")
    )
    filters = MeetingListFilter(request.GET, queryset=meetings)
    meetings = filters.qs  # a value it does not know is dropped: the list shows what the user may see
    # the form as shown holds only what was applied, so a stale or hand-typed value is not an error
    applied = {k: v for k, v in filters.form.cleaned_data.items() if v}
    shown = MeetingListFilter(applied, queryset=meetings.none()).form
    page = IdsFirstPaginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/meeting_list.html",
        {
            "page": page,
            "visible_children": visible_children(request.user, [m.child_id for m in page.object_list]),
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "filter_form": shown,
        },
    )


def _queue_key(value: str) -> tuple[datetime, int] | None:
    """The (requested_at, id) a queue page starts after, from its link; anything else starts at the
    oldest request."""
    at, _, pk = value.rpartition("_")
    try:
        moment = datetime.fromisoformat(at)
        return (moment, int(pk)) if timezone.is_aware(moment) else None
    except ValueError:
        return None


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    """Requests waiting for this user's decision (P2, B1, D3)."""
    after = _queue_key(request.GET.get("after", ""))
    page = approval_queue_page(request.user, after=after, per_page=PER_PAGE)
    visible = visible_children(request.user, [m.child_id for m in page.meetings])
    rows = [
        {
            "meeting": m,
            "missing": rules_of.waiting_for(m),
            "child_url": m.child.get_absolute_url() if m.child_id in visible else "",
        }
        for m in page.meetings
    ]
    return render(
        request,
        "workflows/approval_queue.html",
        {
            "rows": rows,
            "page": page,
            "later": f"{page.next_after[0].isoformat()}_{page.next_after[1]}" if page.next_after else "",
            "from_start": after is None,
            "read_most": QUEUE_READ_MOST,
        },
    )


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    """Actions the user owns and, for IROs, the open actions of the children they review (D11), each
    list paged (an IRO at a large council tracks thousands: issue 12)."""
    today = timezone.localdate()
    own = (
        actions_for_user(request.user)
        .select_related("meeting__meeting_type", "child")
        .with_overdue(today)
        .order_by("due_on", "pk")
    )
    page = IdsFirstPaginator(own, PER_PAGE).get_page(request.GET.get("page"))
    tracked = None
    if request.user.role == "iro":
        tracked = IdsFirstPaginator(
            actions_for_iro(request.user)
            .exclude(owner=request.user)
            .select_related("meeting__meeting_type")
            .with_overdue(today),
            PER_PAGE,
        ).get_page(request.GET.get("tracked"))
    return render(
        request,
        "workflows/my_actions.html",
        {
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "own": page.object_list,
            "tracked_page": tracked,
            "tracked": tracked.object_list if tracked is not None else None,
        },
    )
