"""Every export is logged (SPEC Roles: auditors' exports are logged): who, when, what, which filters, rows."""

from django.conf import settings
from django.db import models


class ExportLog(models.Model):
    """An Excel return someone downloaded. Written by the export itself; nobody edits it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exports")
    kind = models.CharField(max_length=40, help_text="Which list was exported, e.g. meetings, actions.")
    filters = models.JSONField(default=dict, blank=True, help_text="The filters applied, as chosen.")
    rows = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"], name="exportlog_user_at")]

    def __str__(self) -> str:
        return f"{self.kind} export by {self.user} at {self.at:%Y-%m-%d %H:%M}"
