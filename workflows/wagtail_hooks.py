"""Policy owners edit procedure packs and meeting-type policies under 'Procedure packs' in Wagtail."""

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_forms import MeetingTypeForm
from .models import MeetingType, ProcedurePack


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
    list_display = ["name", "code", "pack", "live"]
    list_filter = ["pack"]
    search_fields = ["name", "code"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("pack"),
                    FieldPanel("code"),
                    FieldPanel("name"),
                    FieldPanel("summary"),
                    FieldPanel("procedure_page"),
                    MultiFieldPanel(
                        [
                            FieldPanel("eligibility_rule"),
                            FieldPanel("eligible_categories"),
                            FieldPanel("must_be_permanent"),
                            FieldPanel("must_have_ended"),
                            FieldPanel("must_have_ended_unplanned"),
                            FieldPanel("exclusions"),
                        ],
                        heading="Which placements",
                    ),
                    MultiFieldPanel(
                        [FieldPanel("contract_rule"), FieldPanel("minimum_notice_period_days")],
                        heading="Agency contracts",
                    ),
                ],
                heading="Eligibility",
            ),
            _tab(
                "Triggers",
                [
                    "request_rule",
                    "requester_roles",
                    "requester_must_be_childs_social_worker",
                    "triggers",
                    "support_tried_required",
                    "support_tried_label",
                    "routing_rule",
                    "request_routes",
                ],
            ),
            _tab(
                "Approval",
                [
                    "approval_rule",
                    "approval_required",
                    "approver_roles",
                    "approver_from_child_team",
                    "decline_needs_reason",
                    "late_rule",
                    "late_after_days",
                    "late_approver_roles",
                ],
            ),
            _tab(
                "Timing",
                [
                    "timing_rule",
                    "anchor",
                    "earliest_days",
                    "latest_days",
                    "unit",
                    "calendar",
                    "scheduler_rule",
                    "scheduler_roles",
                ],
            ),
            _tab(
                "Chair",
                [
                    "chair_rule",
                    "chair_rules",
                    "prefer_child_team",
                    "independence_rule",
                    "chair_must_be_independent",
                ],
            ),
            _tab("Invitees", ["invitee_rule", "invitees", "child_invite_decision_required"]),
            _tab("Reports", ["report_rule", "required_reports"]),
            _tab(
                "Minutes",
                [
                    "minutes_rule",
                    "minutes_form_key",
                    "minutes_due_rule",
                    "minutes_due_days",
                    "minutes_approval_rule",
                    "minutes_approvers",
                    "actions_need_owner_due_evaluation",
                    "confidentiality_statement",
                    "circulation_rule",
                    "circulation",
                    "share_approved_minutes_with",
                ],
            ),
            _tab(
                "After the meeting",
                [
                    "case_note_type",
                    "file_documents",
                    "follow_up_rule",
                    "follow_ups",
                    "iro_tracks_actions",
                    "outcome_rule",
                    "outcome_questions",
                    "quarterly_collation",
                    "notice_rule",
                    "no_provider_notice_before_meeting",
                ],
            ),
        ],
        base_form_class=MeetingTypeForm,
    )


class ProcedurePackGroup(SnippetViewSetGroup):
    menu_label = "Procedure packs"
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (ProcedurePackViewSet, MeetingTypeViewSet)


register_snippet(ProcedurePackGroup)
