"""The "Check this policy" screen in Wagtail: the policy check's matrix and "Try it on a child" (issue 10).

Opened from the meeting type's listing ("Check this policy") and its editor's action menu. It runs the
check on the *latest* revision (the draft under review, or the live version when there is no draft), shows
cases with problems first and cases that behave the same as one row, and lets the policy owner try the
draft on a child they may see (search by name or reference). Nothing here writes to the database except
`policy_check_refusal_record`, which records a refused approval in the meeting type's history.
"""

from __future__ import annotations

import logging
import time

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from portal.selectors import my_children

from .models import MeetingType
from .policy_check import REFUSED_ACTION, CouncilContext, PolicyCheckRefused, policy_check
from .policy_try import child_trial

logger = logging.getLogger(__name__)

CHECK_URL_NAME = "meeting_type_policy_check"
SEARCH_LIMIT = 20


def policy_check_url(meeting_type: MeetingType) -> str:
    return reverse(CHECK_URL_NAME, args=[quote(meeting_type.pk)])


def may_check(user) -> bool:
    """Who may open the check: whoever may edit or inspect meeting types in the CMS."""
    return user.is_active and (
        user.has_perm("workflows.change_meetingtype") or user.has_perm("workflows.view_meetingtype")
    )


def policy_check_refusal_record(*, obj: MeetingType, by, revision, refused: PolicyCheckRefused) -> str:
    """Record in the meeting type's history (and the log) that approving `revision` was refused, and
    return where to send the approver: this screen, which shows the sentence."""
    log(instance=obj, action=REFUSED_ACTION, user=by, revision=revision, data={"sentence": refused.sentence})
    logger.info("policy check refused publishing %s (revision %s) for %s: %s", obj, revision.pk, by, refused)
    return policy_check_url(obj) + "?refused=1"


def latest_refusal(meeting_type: MeetingType, user) -> str:
    """The sentence of the latest refused approval of this meeting type by `user`, or ''."""
    entry = (
        ModelLogEntry.objects.for_instance(meeting_type)
        .filter(action=REFUSED_ACTION, user=user)
        .order_by("-timestamp", "-pk")
        .first()
    )
    return (entry.data or {}).get("sentence", "") if entry else ""


def policy_check_view(request, pk):
    if not may_check(request.user):
        raise PermissionDenied("Only policy owners and auditors can check a meeting type's policy.")
    meeting_type = get_object_or_404(MeetingType, pk=pk)
    draft = meeting_type.get_latest_revision_as_object()
    context = CouncilContext.from_database(draft)
    started = time.perf_counter()
    report = policy_check(draft, context=context)
    seconds = time.perf_counter() - started

    search = " ".join(request.GET.get("q", "").split())[:100]
    children = list(my_children(request.user, search=search)[:SEARCH_LIMIT]) if search else []
    trial = None
    child_id = request.GET.get("child")
    if child_id:
        try:
            child = my_children(request.user).get(pk=int(child_id))
        except (ValueError, TypeError) as exc:
            raise Http404("No such child") from exc
        except my_children(request.user).model.DoesNotExist as exc:
            raise Http404("No such child") from exc
        trial = child_trial(meeting_type=draft, child=child, context=context)

    return TemplateResponse(
        request,
        "workflows/admin/policy_check.html",
        {
            "meeting_type": meeting_type,
            "draft": draft,
            "is_draft": meeting_type.has_unpublished_changes or not meeting_type.live,
            "report": report,
            "groups": report.groups(),
            "seconds": seconds,
            "refused": latest_refusal(meeting_type, request.user) if request.GET.get("refused") else "",
            "edit_url": reverse(
                MeetingType.snippet_viewset.get_url_name("edit"), args=[quote(meeting_type.pk)]
            ),
            "search": search,
            "children": children,
            "trial": trial,
        },
    )
