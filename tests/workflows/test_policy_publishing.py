"""Publishing policy needs a second policy owner (issue 11 item 3, issue 9 "The CMS for policy owners").

Procedure pages, meeting types and forms are published only through the "Policy change approval"
workflow: a policy owner's direct publish POST makes no live revision, a submitted change goes live when
another policy owner approves it, and nobody approves their own change.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import Revision

from forms_builder.models import FormDefinition
from workflows.models import MeetingType
from workflows.procedures.models import ProcedurePage

from .cms_helpers import (
    approve,
    form_form_data,
    load_county,
    meeting_type_form_data,
    page_edit_url,
    page_form_data,
    policy_owner,
    snippet_edit_url,
)
from .factories import timing_of

pytestmark = pytest.mark.django_db

NEW_WORDS = "A second policy owner approved these words."


@pytest.fixture
def loaded(tmp_path):
    load_county(tmp_path)


def _page():
    return ProcedurePage.objects.get(pack_slug="county", meeting_code="PSM")


KINDS = {
    "procedure page": (
        _page,
        page_edit_url,
        lambda obj: page_form_data(obj, who_chairs=f"<p>{NEW_WORDS}</p>"),
        lambda obj: NEW_WORDS in obj.live_revision.as_object().who_chairs,
    ),
    "meeting type": (
        lambda: MeetingType.objects.get(code="PSM"),
        snippet_edit_url,
        lambda obj: meeting_type_form_data(obj, latest_days=7),
        lambda obj: timing_of(obj.live_revision.as_object())["latest"] == 7,
    ),
    "form": (
        lambda: FormDefinition.objects.get(key="psm-report"),
        snippet_edit_url,
        lambda obj: form_form_data(obj, description=NEW_WORDS),
        lambda obj: obj.live_revision.as_object().description == NEW_WORDS,
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_policy_owners_direct_publish_makes_no_live_revision(client, loaded, django_user_model, kind):
    get, url, data, changed = KINDS[kind]
    obj = get()
    live_before = obj.live_revision_id
    owner = policy_owner("owner-a")
    client.force_login(owner)

    editor = client.get(url(obj)).content.decode()
    assert 'name="action-submit"' in editor
    assert 'name="action-publish"' not in editor

    response = client.post(url(obj), data(obj) | {"action-publish": "action-publish"})
    assert response.status_code in (200, 302)
    obj = get()
    assert obj.live_revision_id == live_before and not changed(obj)

    # The same POST from a superuser does publish: the refusal above is the permission, not bad data.
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pass-word-123")
    client.force_login(root)
    response = client.post(url(obj), data(obj) | {"action-publish": "action-publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert changed(get())


@pytest.mark.parametrize("kind", KINDS)
def test_a_submitted_change_goes_live_when_a_second_policy_owner_approves(client, loaded, kind):
    get, url, data, changed = KINDS[kind]
    author, second = policy_owner("owner-a"), policy_owner("owner-b")
    obj = get()
    live_before = obj.live_revision_id
    client.force_login(author)
    response = client.post(url(obj), data(obj) | {"action-submit": "action-submit"})
    assert response.status_code == 302, response.content.decode()[:2000]
    obj = get()
    assert obj.live_revision_id == live_before and not changed(obj)
    assert obj.current_workflow_state is not None

    with pytest.raises(PermissionDenied):
        approve(obj, author)
    obj = get()
    assert obj.live_revision_id == live_before and not changed(obj)
    task = obj.current_workflow_task_state.task.specific
    assert task.get_actions(obj, author) == []

    approve(obj, second)
    obj = get()
    assert obj.live_revision_id != live_before and changed(obj)
    live = Revision.objects.get(pk=obj.live_revision_id)
    assert live.user == author
    assert obj.current_workflow_state is None


def test_policy_owners_hold_no_publish_permission(db):
    owner = policy_owner("owner-a")
    assert not owner.has_perm("workflows.publish_meetingtype")
    assert not owner.has_perm("forms_builder.publish_formdefinition")
    assert owner.has_perm("workflows.change_meetingtype") and owner.has_perm(
        "forms_builder.change_formdefinition"
    )


def test_load_packs_still_publishes_what_is_missing_on_a_fresh_database(loaded):
    for get, *_ in KINDS.values():
        obj = get()
        assert obj.live and obj.live_revision_id
        assert Revision.objects.get(pk=obj.live_revision_id).user is None


@pytest.mark.parametrize("kind", KINDS)
def test_a_submitted_change_notifies_every_other_policy_owner_with_the_review_link__issue13(
    client, loaded, kind, django_capture_on_commit_callbacks
):
    """Issue 13: submitting a policy change to the approval workflow queues an outbox message (hence a
    notification) to each OTHER policy owner, naming the change and linking to its CMS edit page; the
    submitter and people who are not policy owners are not told."""
    from outbox.models import OutboxMessage
    from reminders.models import Notification
    from tests.factories import UserFactory

    get, url, data, _changed = KINDS[kind]
    author, second, third = policy_owner("owner-a"), policy_owner("owner-b"), policy_owner("owner-c")
    bystander = UserFactory(username="not-an-owner")
    obj = get()
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(obj), data(obj) | {"action-submit": "action-submit"})
    assert response.status_code == 302
    messages = OutboxMessage.objects.filter(topic="workflows.policy_change_submitted")
    assert {m.recipient_user for m in messages} == {second, third}
    edit = url(get())
    for message in messages:
        assert str(get()) in message.subject and edit in message.body
    notes = Notification.objects.filter(message__in=messages)
    assert {n.user for n in notes} == {second, third} and {n.link for n in notes} == {edit}
    assert not Notification.objects.filter(user__in=[author, bystander]).exists()
