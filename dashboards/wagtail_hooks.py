"""The export log in the CMS: auditors and policy owners can read who exported what; nobody edits it."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import ExportLog


class ReadOnlyPolicy(ModelPermissionPolicy):
    """View only, for everyone (superusers included): the log is written by the exports themselves."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(ExportLog, ReadOnlyPolicy(ExportLog))


class ExportLogViewSet(ModelViewSet):
    model = ExportLog
    icon = "download"
    menu_label = "Export log"
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["at", "user", "kind", "rows"]
    list_filter = ["kind", "at"]
    search_fields = ["kind", "user__username", "user__last_name"]
    form_fields = ["kind"]  # required by the viewset; the edit views are refused by the policy


@hooks.register("register_admin_viewset")
def register_export_log() -> ExportLogViewSet:
    return ExportLogViewSet("export_log")
