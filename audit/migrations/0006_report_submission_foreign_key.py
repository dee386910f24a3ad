"""The history of MeetingReport follows its submission_id becoming a foreign key (issue 15): the column
and the values recorded keep their name, only the field is renamed (workflows 0008)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_alternative_paths_history"),
        ("forms_builder", "0002_submission_collaborators"),
    ]

    operations = [
        migrations.RenameField("historicalmeetingreport", "submission_id", "submission"),
        migrations.AlterField(
            model_name="historicalmeetingreport",
            name="submission",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="forms_builder.formsubmission",
            ),
        ),
    ]
