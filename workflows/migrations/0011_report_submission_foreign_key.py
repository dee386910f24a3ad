"""MeetingReport.submission_id, a plain integer, becomes a real foreign key to the form builder's
submission (issue 15). The column keeps its name and values: ids of submissions that no longer exist are
cleared first (the key could not point at them), then the field is renamed and made a key."""

import django.db.models.deletion
from django.db import migrations, models


def clear_orphans(apps, schema_editor):
    report = apps.get_model("workflows", "MeetingReport")
    submission = apps.get_model("forms_builder", "FormSubmission")
    linked = report.objects.exclude(submission_id=None)
    linked.exclude(submission_id__in=submission.objects.values("pk")).update(submission_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("forms_builder", "0002_submission_collaborators"),
        ("workflows", "0010_alternative_paths"),
    ]

    operations = [
        migrations.RunPython(clear_orphans, migrations.RunPython.noop),
        migrations.RenameField("meetingreport", "submission_id", "submission"),
        migrations.AlterField(
            model_name="meetingreport",
            name="submission",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="forms_builder.formsubmission",
            ),
        ),
    ]
