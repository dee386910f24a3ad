"""Run `dashboards.returns.exports_expire` every hour under django-q2, so background exports' files are
deleted after settings.EXPORT_FILE_HOURS."""

from django.db import migrations

FUNC = "dashboards.returns.exports_expire"


def add_schedule(apps, schema_editor):  # noqa: ANN001, ARG001
    Schedule = apps.get_model("django_q", "Schedule")  # noqa: N806
    Schedule.objects.get_or_create(
        func=FUNC, defaults={"name": "Delete expired exports", "schedule_type": "H"}
    )


def remove_schedule(apps, schema_editor):  # noqa: ANN001, ARG001
    apps.get_model("django_q", "Schedule").objects.filter(func=FUNC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0002_export_job"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(add_schedule, remove_schedule)]
