from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from forms_builder.signals import subject_people, submission_submitting, submission_write_check

        from .form_links import on_subject_people, on_submission_submitting, on_submission_write_check

        submission_submitting.connect(on_submission_submitting, dispatch_uid="workflows.form_links")
        submission_write_check.connect(on_submission_write_check, dispatch_uid="workflows.form_links.write")
        subject_people.connect(on_subject_people, dispatch_uid="workflows.form_links.people")
