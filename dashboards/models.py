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

    # Wagtail's reference index ("usage" in the CMS) would read and write its rows on every export
    # (two queries each time, issue 12); a log row is not something anyone looks up usages of.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"], name="exportlog_user_at")]

    def __str__(self) -> str:
        return f"{self.kind} export by {self.user} at {self.at:%Y-%m-%d %H:%M}"


class ExportJob(models.Model):
    """A named return too big to build while the user waits: built by a django-q2 task, kept for a
    while (settings.EXPORT_FILE_HOURS), then deleted by `returns.exports_expire`."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be built"
        EXPIRED = "expired", "Deleted after its time limit"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs")
    return_key = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_expected = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.return_key} for {self.user} ({self.get_status_display()})"

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return min(99, round(100 * self.rows_written / self.rows_expected)) if self.rows_expected else 0
