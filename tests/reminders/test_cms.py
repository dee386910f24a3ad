"""Policy owners edit the escalation ladders and reminder wording in the CMS; a bad one is refused."""

import pytest

from portal.choices import Role
from reminders.models import EscalationLadder, MessageTemplate
from tests.factories import UserFactory
from tests.workflows.factories import meeting_type

pytestmark = pytest.mark.django_db

LADDERS = "/cms/snippets/reminders/escalationladder/"
WORDING = "/cms/snippets/reminders/messagetemplate/"


def test_policy_owner_adds_a_ladder_and_a_bad_one_is_refused_in_plain_words(client, county):
    client.force_login(UserFactory(username="owner", role=Role.POLICY_OWNER))
    psm = meeting_type(county, "PSM")
    bad = client.post(
        LADDERS + "add/",
        {
            "meeting_type": psm.pk,
            "kind": "report_late",
            "steps": '[{"after_working_days": 2, "to": "mayor"}]',
        },
    )
    assert bad.status_code == 200 and "send to one of owner, team_manager" in bad.content.decode()
    assert not EscalationLadder.objects.exists()
    steps = '[{"after_working_days": 0, "to": "owner"}, {"after_working_days": 2, "to": "team_manager"}]'
    good = client.post(LADDERS + "add/", {"meeting_type": psm.pk, "kind": "report_late", "steps": steps})
    assert good.status_code == 302
    assert EscalationLadder.objects.get().steps[1] == {"after_working_days": 2, "to": "team_manager"}


def test_policy_owner_sees_the_variables_beside_the_wording_and_unknown_ones_are_refused(client, db):
    client.force_login(UserFactory(username="owner", role=Role.POLICY_OWNER))
    page = client.get(WORDING + "add/").content.decode()
    assert "child_reference" in page and "working_days_late" in page
    bad = client.post(
        WORDING + "add/", {"key": "report_late", "subject": "{{ child.first_name }}", "body": "x"}
    )
    assert bad.status_code == 200 and "not variables you can use: child" in bad.content.decode()
    ok = client.post(WORDING + "add/", {"key": "report_late", "subject": "{{ what }} late", "body": "x"})
    assert ok.status_code == 302 and MessageTemplate.objects.get().subject == "{{ what }} late"


def test_workers_cannot_edit_ladders(client, db):
    client.force_login(UserFactory(username="sw", role=Role.SOCIAL_WORKER))
    assert client.get(LADDERS + "add/").status_code in (302, 403)
