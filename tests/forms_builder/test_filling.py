"""Every shipped form renders, accepts a complete answer and round-trips to the read-only and print views."""

import html
from datetime import UTC

import pytest
from django.urls import reverse

from forms_builder.answers import display_sections
from forms_builder.choices import SubmissionStatus
from forms_builder.models import FormSubmission
from forms_builder.services import post_data_for

from .conftest import SHIPPED_KEYS
from .helpers import complete_answers, load_form

pytestmark = pytest.mark.django_db


def _start(client, key, case):
    url = reverse("forms_builder:start", args=[key])
    response = client.get(
        url, {"child": case["child"].pk, "placement": case["placement"].pk, "subject": "M-1"}
    )
    assert response.status_code == 302
    return FormSubmission.objects.get(definition__key=key, author=case["worker"])


@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_shipped_form_renders_submits_and_round_trips__P9_D13(client, case, key):
    definition = load_form(key)
    client.force_login(case["worker"])
    submission = _start(client, key, case)

    page = client.get(reverse("forms_builder:edit", args=[submission.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    for section in definition.spec.sections:
        assert html.escape(section.heading, quote=False) in content or section.heading in html.unescape(
            content
        )

    answers = complete_answers(submission.spec, person_pk=case["ssw"].pk)
    post = post_data_for(submission.spec, answers)
    post["version"] = str(submission.version)
    post["submit"] = "1"
    response = client.post(reverse("forms_builder:edit", args=[submission.pk]), post)
    assert response.status_code == 302, list(response.context["errors"])
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED

    shown = [
        a
        for s in display_sections(submission.spec, submission.data)
        for a in s.answers
        if a.shown and (a.text or a.rows)
    ]
    assert len(shown) >= len(submission.spec.fields()) - 3
    for name in ("forms_builder:view", "forms_builder:print"):
        page = html.unescape(client.get(reverse(name, args=[submission.pk])).content.decode())
        for answer in shown:
            if answer.rows:
                for row in answer.rows:
                    for cell in row:
                        assert cell.split("\n")[0] in page, (name, answer.field.key, cell)
            else:
                assert answer.text.split("\n")[0] in page, (name, answer.field.key)
        assert case["ssw"].get_full_name() in page or not any(
            f.type == "person" for f in submission.spec.fields()
        )


def test_start_prefills_from_case_record(client, case):
    load_form("dm-request")
    client.force_login(case["worker"])
    submission = _start(client, "dm-request", case)
    child = case["child"]
    assert submission.data["child_name"] == child.full_name
    assert submission.data["child_date_of_birth"] == child.date_of_birth.isoformat()
    assert submission.data["placement_start_date"] == case["placement"].start_date.isoformat()
    assert submission.data["carers_name"] == case["placement"].placed_with
    assert submission.data["completed_by"] == child.social_worker.get_full_name()


def test_starting_again_returns_to_the_same_draft(client, case):
    load_form("psm-report")
    client.force_login(case["worker"])
    first = _start(client, "psm-report", case)
    second = _start(client, "psm-report", case)
    assert first.pk == second.pk


class _Meeting:
    reference = "PSM-000123"
    venue = "Family centre, room 2"

    def __init__(self, chair):
        from datetime import datetime

        self.chair = chair
        self.scheduled_for = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)


def resolve_meeting(*, reference, user):
    from portal.models import User

    return _Meeting(User.objects.filter(role="team_manager").first()) if reference == "PSM-000123" else None


def test_meeting_prefill_through_the_subject_resolver(client, case, settings):
    from tests.factories import UserFactory

    settings.FORMS_BUILDER_SUBJECT_RESOLVER = "tests.forms_builder.test_filling.resolve_meeting"
    UserFactory(role="team_manager", first_name="Chair", last_name="Person")
    load_form("dm-minutes")
    client.force_login(case["worker"])
    url = reverse("forms_builder:start", args=["dm-minutes"])
    client.get(url, {"child": case["child"].pk, "subject": "PSM-000123"})
    submission = FormSubmission.objects.get(definition__key="dm-minutes")
    assert submission.data["meeting_datetime"] == "2026-04-02T10:30"  # shown in Europe/London (BST)
    assert submission.data["venue"] == "Family centre, room 2"
    assert submission.subject_reference == "PSM-000123"
