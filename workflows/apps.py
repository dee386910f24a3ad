from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from forms_builder.signals import submission_submitting

        from .form_links import on_submission_submitting

        submission_submitting.connect(on_submission_submitting, dispatch_uid="workflows.form_links")
