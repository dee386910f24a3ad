"""What an approved policy change does (settings.WAGTAIL_FINISH_WORKFLOW_ACTION).

Kept free of model imports: Wagtail imports it while its own models load.
"""


def workflow_state_publish(workflow_state, user=None) -> None:
    """Publish the revision the second policy owner approved. The approval is the permission: policy owners
    hold no publish permission (they publish only through the "Policy change approval" workflow), so
    Wagtail's default action, which checks that permission, would refuse the approver."""
    revision = workflow_state.content_object.get_latest_revision()
    policy_check_before_publishing(revision)
    revision.publish(user=user, skip_permission_checks=True)


def policy_check_before_publishing(revision) -> None:
    """A meeting type goes live only if the policy check finds no dead end (issue 10): raises
    `PolicyCheckRefused` with the sentence naming the case, which undoes the approval (the task's
    `on_action` is atomic) and is shown to the approver and logged by the task."""
    # deferred: Wagtail imports this module (WAGTAIL_FINISH_WORKFLOW_ACTION) while its own models load
    from workflows.models import MeetingType
    from workflows.policy_check import PolicyCheckRefused, publish_refusal

    if not isinstance(revision.content_object, MeetingType):
        return
    sentence = publish_refusal(revision.as_object())
    if sentence:
        raise PolicyCheckRefused(sentence)
