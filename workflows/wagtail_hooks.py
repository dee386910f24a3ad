"""Policy owners edit procedure packs and meeting-type policies under 'Procedure packs' in Wagtail."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from workflows.procedures.models import ShippedVersion

# The case triggers' and the policy check's hooks register when their modules are imported (issue 10).
from . import policy_check_hooks, wagtail_hooks_paths  # noqa: F401
from .admin_forms import MeetingTypeForm
from .models import MeetingType, ProcedurePack
from .procedures.models import SECTIONS, ProcedurePage
from .procedures.timescales import procedure_timescale
from .shipped import (
    KEPT_ACTION,
    SHIPPED_DRAFT_ACTION,
    shipped_keep_ours,
    shipped_may_decide,
    shipped_waiting,
)


class ProcedurePackViewSet(SnippetViewSet):
    model = ProcedurePack
    icon = "folder-open-inverse"
    menu_label = "Packs"
    list_display = ["name", "council_name", "slug", "default_calendar"]
    search_fields = ["name", "council_name"]


def _tab(heading: str, fields: list[str]) -> ObjectList:
    return ObjectList([FieldPanel(name) for name in fields], heading=heading)


class MeetingTypeViewSet(SnippetViewSet):
    """Tabs follow the rule kinds. `state` of meetings never appears here (PITFALLS)."""

    model = MeetingType
    icon = "list-ul"
    menu_label = "Meeting types"
    list_display = ["name", "code", "pack", LiveStatusTagColumn()]
    inspect_view_enabled = True  # auditors open meeting types read-only
    list_filter = ["pack"]
    search_fields = ["name", "code"]
    edit_handler = TabbedInterface(
        [
            _tab(
                "About",
                ["pack", "code", "name", "summary", "procedure_page", "calendar", "rule_references"],
            ),
            _tab(
                "Who it is for",
                ["eligibility", "exclusions", "requirement", "prerequisites", "minimum_notice_period_days"],
            ),
            _tab(
                "Request",
                [
                    "requester_roles",
                    "requester_must_be_childs_social_worker",
                    "triggers",
                    "support_tried_required",
                    "support_tried_label",
                ],
            ),
            _tab("When", ["timing", "scheduler_roles"]),
            _tab("Approval", ["gates"]),
            _tab("Chair", ["chairs"]),
            _tab("Who attends", ["invitees", "child_invite_decision_required"]),
            _tab("Reports", ["reports"]),
            _tab(
                "After the meeting",
                [
                    "minutes_form_key",
                    "minutes_due_days",
                    "minutes_approvers",
                    "actions_need_owner_due_evaluation",
                    "confidentiality_statement",
                    "circulation",
                    "share_approved_minutes_with",
                    "case_notes",
                    "file_documents",
                    "follow_ups",
                    "iro_tracks_actions",
                    "outcome_questions",
                    "quarterly_collation",
                    "no_provider_notice_before_meeting",
                ],
            ),
            _tab("Other paths", ["notifications", "not_held", "linked_meetings", "recurrence"]),
        ],
        base_form_class=MeetingTypeForm,
    )


class ProcedurePackGroup(SnippetViewSetGroup):
    menu_label = "Procedure packs"
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (ProcedurePackViewSet, MeetingTypeViewSet)


register_snippet(ProcedurePackGroup)


# --------------------------------------------------------------------------------------------------
# Shipped versions waiting as drafts (workflows.shipped): history labels, the editor's notice, "keep ours"
# --------------------------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_shipped_log_actions(actions) -> None:
    actions.register_action(
        SHIPPED_DRAFT_ACTION,
        "Newer version shipped with the pack",
        "A newer version shipped with the procedure pack was saved as a draft (not live)",
    )
    actions.register_action(
        KEPT_ACTION, "Kept our version", "Kept our published version instead of the one shipped with the pack"
    )


def _review_url(obj, revision_id: int) -> str:
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:revisions_revert", args=[obj.pk, revision_id])
    return reverse(obj.snippet_viewset.get_url_name("revisions_revert"), args=[quote(obj.pk), revision_id])


def _shipped_notice(request, obj) -> None:
    """Tell the policy owner, in the editor, that a newer shipped version waits as a draft."""
    if request.method != "GET":
        return
    record = shipped_waiting(obj)
    if record is None:
        return
    keep_url = reverse("shipped_keep_ours", args=[record.pk])
    messages.warning(
        request,
        format_html(
            "A newer version shipped with the pack is waiting as a draft: "
            '<a href="{}">review it</a> and submit it for approval to publish it, '
            'or <a href="{}">keep ours</a>. What is published has not changed.',
            _review_url(obj, record.pending_revision_id),
            keep_url,
        ),
    )


@hooks.register("before_edit_snippet")
def shipped_notice_snippet(request, instance) -> None:
    _shipped_notice(request, instance)


@hooks.register("before_edit_page")
def shipped_notice_page(request, page) -> None:
    _shipped_notice(request, page.specific)


def shipped_keep_ours_view(request, pk: int):
    """A policy owner keeps their published version (asked to confirm first); the shipped draft stays in
    the history."""
    record = get_object_or_404(ShippedVersion, pk=pk)
    obj = record.content_type.get_object_for_this_type(pk=record.object_id)
    obj = obj.specific if isinstance(obj, Page) else obj
    if isinstance(obj, Page):
        edit_url = reverse("wagtailadmin_pages:edit", args=[obj.pk])
    else:
        edit_url = reverse(obj.snippet_viewset.get_url_name("edit"), args=[quote(obj.pk)])
    if not shipped_may_decide(request.user, obj):
        raise PermissionDenied("Only a policy owner can decide about a shipped version.")
    if request.method != "POST":
        return TemplateResponse(
            request,
            "procedures/admin/keep_ours.html",
            {"object": obj, "edit_url": edit_url, "review_url": _review_url(obj, record.pending_revision_id)},
        )
    shipped_keep_ours(obj=obj, by=request.user)
    messages.success(request, "You kept your published version. The shipped version stays in the history.")
    return redirect(edit_url)


@hooks.register("register_admin_urls")
def shipped_urls() -> list:
    return [path("packs/shipped/<int:pk>/keep/", shipped_keep_ours_view, name="shipped_keep_ours")]


@hooks.register("before_edit_page")
def timescale_notice_page(request, page) -> None:
    """Warn the policy owner when a procedure's Timescales text disagrees with the meeting type's rule."""
    if request.method != "GET" or not isinstance(page.specific, ProcedurePage):
        return
    timescale = procedure_timescale(page.specific.get_latest_revision_as_object())
    if timescale is not None and timescale.disagrees:
        messages.warning(
            request,
            "The Timescales section gives a different number of days from the meeting type. The portal "
            f"applies the meeting type's rule: {timescale.sentence} Correct the text, or change the "
            "meeting type (both need a second policy owner's approval).",
        )


def _may_read_procedures(user) -> bool:
    return user.has_perm("procedures.view_procedurepage")


def procedure_pages_index(request):
    """Procedure pages, read-only, for those who may read them in the CMS but hold no page permission
    (auditors; policy owners too). Editing stays in the page tree, through the approval workflow."""
    if not _may_read_procedures(request.user):
        raise PermissionDenied
    pages = ProcedurePage.objects.order_by("pack_slug", "path")
    return TemplateResponse(request, "procedures/admin/index.html", {"pages": pages})


def procedure_pages_inspect(request, pk: int):
    """One procedure page as published (its live revision), read-only."""
    if not _may_read_procedures(request.user):
        raise PermissionDenied
    page = get_object_or_404(ProcedurePage, pk=pk)
    live = page.live_revision.as_object() if page.live_revision_id else None
    sections = []
    if live is not None:
        sections = [
            {"heading": heading, "html": live.section_raw(key)}
            for key, heading in SECTIONS.items()
            if live.section_raw(key).strip()
        ]
    return TemplateResponse(
        request, "procedures/admin/inspect.html", {"page": page, "live": live, "sections": sections}
    )


@hooks.register("register_admin_urls")
def procedure_pages_urls() -> list:
    return [
        path("procedure-pages/", procedure_pages_index, name="procedure_pages_index"),
        path("procedure-pages/<int:pk>/", procedure_pages_inspect, name="procedure_pages_inspect"),
    ]


@hooks.register("register_admin_menu_item")
def procedure_pages_menu_item():
    class PermissionedMenuItem(MenuItem):
        def is_shown(self, request):
            return _may_read_procedures(request.user)

    return PermissionedMenuItem(
        "Procedure pages", reverse("procedure_pages_index"), icon_name="doc-full", order=260
    )
