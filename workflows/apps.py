from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from wagtail.signals import workflow_submitted

from forms_builder.signals import subject_people, submission_submitting, submission_write_check


class WorkflowsConfig(AppConfig):
    name = "workflows"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # deferred: these read models, which Django's app registry lets a module import only once it is ready
        from portal.models import Placement
        from portal.vocabulary import vocabulary_register

        from .case_triggers import placement_saved, schedules_ensure
        from .form_links import on_subject_people, on_submission_submitting, on_submission_write_check
        from .procedures.notify import on_workflow_submitted
        from .vocabularies import PackVocabularies

        vocabulary_register(PackVocabularies())  # the case record's council words (issue 10, 15)
        submission_submitting.connect(on_submission_submitting, dispatch_uid="workflows.form_links")
        submission_write_check.connect(on_submission_write_check, dispatch_uid="workflows.form_links.write")
        subject_people.connect(on_subject_people, dispatch_uid="workflows.form_links.people")

        # Case triggers (issue 10): evaluated after a placement is saved, and by a daily sweep.
        post_save.connect(placement_saved, sender=Placement, dispatch_uid="workflows.case_triggers")
        post_migrate.connect(schedules_ensure, sender=self, dispatch_uid="workflows.case_triggers.schedule")

        # Other policy owners hear of a policy change submitted for approval (issue 13).
        workflow_submitted.connect(on_workflow_submitted, dispatch_uid="workflows.policy_change_submitted")
