"""Case triggers (issue 10) as a snippet policy owners edit in the CMS, with revisions (each save keeps one,
and the history shows who changed what). Imported by workflows.wagtail_hooks."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CaseTrigger


class CaseTriggerViewSet(SnippetViewSet):
    model = CaseTrigger
    icon = "warning"
    menu_label = "Case triggers"
    menu_order = 260
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["name", "meeting_type", "pack", "task_role", "active"]
    list_filter = ["pack", "active"]
    search_fields = ["name"]


register_snippet(CaseTriggerViewSet)
