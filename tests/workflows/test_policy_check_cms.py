"""The policy check in the CMS (issue 10, "A policy check before publishing"): the "Check this policy"
screen, publishing refused at the approval workflow's finish step with a sentence naming the case (shown
to the approver and logged), and "Try it on a child" creating nothing.

The meeting type here is the county's PSM, evaluated through `policy_evaluate` on a council's pack
entries (Ashbourne Vale: conditions on length and purpose), so that a sound and a dead-end version can be
approved in turn; the councils' own tests run the same check on every council's pack.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.factories import InvolvementFactory
from workflows import policy_check as check_module
from workflows import policy_samples, policy_try
from workflows.models import MeetingType
from workflows.policy_check import REFUSED_ACTION
from workflows.policy_engine import all_conditions, policy_evaluate

from .cms_helpers import approve, load_county, policy_owner, snippet_edit_url

pytestmark = pytest.mark.django_db

ASHBOURNE = json.loads(
    (Path(__file__).parents[1] / "councils" / "ashbourne_vale" / "pack.json").read_text(encoding="utf-8")
)["meeting_types"][0]
DEAD_END = {**ASHBOURNE, "timing": [entry for entry in ASHBOURNE["timing"] if entry["when"]]}
FIRST_DEAD_END = (
    "For in-house fostering, long-term, ended unplanned, lasted 3 years 6 months: the meeting can be "
    "requested but no timing rule matches, so it would have no deadline."
)


@pytest.fixture
def rules(monkeypatch):
    """Evaluate whatever meeting type is checked with the given pack entries (sound by default)."""
    chosen = {"entries": ASHBOURNE}

    def evaluate(_meeting_type, snapshot):
        return policy_evaluate(chosen["entries"], snapshot).as_json()

    monkeypatch.setattr(check_module, "engine_evaluate", evaluate)
    # The samples and the child's snapshot are built for the conditions of the entries evaluated.
    conditions = lambda _mt: all_conditions(chosen["entries"])  # noqa: E731
    monkeypatch.setattr(policy_samples, "_conditions", conditions)
    monkeypatch.setattr(policy_try, "_conditions", conditions)
    return chosen


@pytest.fixture
def loaded(tmp_path, people):
    load_county(tmp_path)


def psm() -> MeetingType:
    return MeetingType.objects.get(code="PSM")


def check_url(mt) -> str:
    return reverse("meeting_type_policy_check", args=[mt.pk])


def submit_change(client, author, **changes) -> MeetingType:
    """The author saves a draft and submits it to the "Policy change approval" workflow, as the editor's
    Submit button does (done through the models so these tests do not depend on the editor's form)."""
    from wagtail.models import Workflow

    from workflows.procedures.services import WORKFLOW_NAME

    mt = psm()
    for name, value in changes.items():
        setattr(mt, name, value)
    mt.save_revision(user=author)
    Workflow.objects.get(name=WORKFLOW_NAME).start(mt, author)
    mt = psm()
    assert mt.current_workflow_state is not None
    return mt


def test_the_listing_and_the_editor_link_to_the_check(client, loaded, rules):
    client.force_login(policy_owner("owner-a"))
    listing = client.get(reverse(MeetingType.snippet_viewset.get_url_name("list"))).content.decode()
    assert check_url(psm()) in listing and "Check this policy" in listing
    editor = client.get(snippet_edit_url(psm())).content.decode()
    assert check_url(psm()) in editor


def test_the_check_shows_the_matrix_with_problems_first(client, loaded, rules):
    rules["entries"] = DEAD_END
    client.force_login(policy_owner("owner-a"))
    html = client.get(check_url(psm())).content.decode()
    assert 'id="policy-check-matrix"' in html
    assert html.index("Publishing is refused") < html.index('id="policy-check-matrix"')
    assert FIRST_DEAD_END.replace("'", "&#x27;") in html
    first_row = html.split('id="policy-check-matrix"')[1].split("<tbody>")[1].split("</tr>")[0]
    assert "no timing rule matches" in first_row, "the first row of the matrix is a problem"


def test_people_without_cms_access_to_meeting_types_cannot_open_the_check(client, loaded, rules, people):
    client.force_login(people.social_worker)
    response = client.get(check_url(psm()))
    assert response.status_code in (302, 403)


def test_a_dead_end_is_refused_at_approval_with_the_sentence_and_logged(client, loaded, rules):
    rules["entries"] = DEAD_END
    author, second = policy_owner("owner-a"), policy_owner("owner-b")
    mt = submit_change(client, author)
    live_before = mt.live_revision_id

    task_state = mt.current_workflow_state.current_task_state
    redirect_to = task_state.task.specific.on_action(task_state, user=second, action_name="approve")

    mt = psm()
    assert mt.live_revision_id == live_before, "nothing went live"
    assert mt.current_workflow_state is not None, "the change still waits for approval"
    entry = ModelLogEntry.objects.for_instance(mt).filter(action=REFUSED_ACTION).get()
    assert entry.user == second
    assert (
        entry.data["sentence"]
        == f"{mt.name} cannot be published: {FIRST_DEAD_END}"
        + (entry.data["sentence"].split(FIRST_DEAD_END, 1)[1])
    )
    assert redirect_to == check_url(mt) + "?refused=1"
    client.force_login(second)
    html = client.get(redirect_to).content.decode()
    assert 'id="policy-check-refused"' in html and "cannot be published: For in-house fostering" in html


def test_the_approvers_button_shows_the_refusal(client, loaded, rules):
    """The approver's own path: the workflow action view redirects to the check with the sentence."""
    rules["entries"] = DEAD_END
    mt = submit_change(client, policy_owner("owner-a"))
    client.force_login(policy_owner("owner-b"))
    task_state = mt.current_workflow_state.current_task_state
    url = reverse(
        MeetingType.snippet_viewset.get_url_name("workflow_action"), args=[mt.pk, "approve", task_state.pk]
    )
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == check_url(mt) + "?refused=1"
    assert psm().live_revision_id == mt.live_revision_id


def test_a_sound_policy_publishes(client, loaded, rules):
    author, second = policy_owner("owner-a"), policy_owner("owner-b")
    mt = submit_change(client, author)
    live_before = mt.live_revision_id
    approve(mt, second)
    mt = psm()
    assert mt.live_revision_id != live_before
    assert mt.current_workflow_state is None
    assert not ModelLogEntry.objects.for_instance(mt).filter(action=REFUSED_ACTION).exists()


def test_try_it_on_a_child_shows_the_drafts_decision_and_creates_nothing(client, loaded, rules, people):
    owner = policy_owner("owner-a")
    child = people.child(first_name="Rowan", last_name="Ashby")
    InvolvementFactory(child=child, user=owner, role="other", start_date=date(2020, 1, 1))
    people.placement(
        child,
        start_date=date(2024, 1, 8),
        end_date=date(2026, 3, 2),
        ended_unplanned=True,
        purpose="permanent",
        is_permanent=True,
        ratified_permanent_on=date(2024, 6, 3),
    )
    hidden = people.child(first_name="Rowan", last_name="Hidden")
    client.force_login(owner)

    found = client.get(check_url(psm()), {"q": "rowan"}).content.decode()
    assert "Rowan Ashby" in found and "Rowan Hidden" not in found

    with CaptureQueriesContext(connection) as queries:
        html = client.get(check_url(psm()), {"q": "rowan", "child": child.pk}).content.decode()
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == [], writes
    trial = html.split('id="policy-check-trial"')[1]
    # Ashbourne Vale's permanent entry (AV2): 15 working days after Mon 2 Mar 2026 is Mon 23 Mar 2026.
    assert "Within 15 working days after the placement ended (a hard limit)" in trial
    assert "Latest Mon 23 Mar 2026" in trial
    assert "when the placement&#x27;s purpose is permanent" in trial

    assert client.get(check_url(psm()), {"child": hidden.pk}).status_code == 404


def with_circulation_to_buyers(mt):
    """`mt`'s circulation list with the buyers added, whom no PSM invitee entry invites."""
    from workflows.policy_engine import rule_lists
    from workflows.rule_blocks import RULE_LISTS

    child = RULE_LISTS["circulation"][0]
    entries = [*rule_lists(mt)["circulation"], {"when": None, "rule": "", "role": "buyer"}]
    field = MeetingType._meta.get_field("circulation")
    return field.stream_block.to_python([{"type": child, "value": e} for e in entries])


def test_a_dead_end_draft_of_a_real_meeting_type_is_refused_by_the_real_evaluator(client, tmp_path):
    """No stand-in: the county PSM's draft sends the minutes to the buyers, whom no invitee entry invites,
    so the minutes could never be circulated. The first such case: in-house fostering (the first eligible
    placement type), still going on (the first ending); nothing else of the case matters to PSM's
    conditions, so nothing else is named."""
    load_county(tmp_path)
    author, second = policy_owner("owner-a"), policy_owner("owner-b")
    live_before = psm().live_revision_id
    mt = submit_change(client, author, circulation=with_circulation_to_buyers(psm()))
    task_state = mt.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, user=second, action_name="approve")
    mt = psm()
    assert mt.live_revision_id == live_before
    entry = ModelLogEntry.objects.for_instance(mt).filter(action=REFUSED_ACTION).get()
    assert entry.data["sentence"].startswith(
        "Placement stability meeting cannot be published: For in-house fostering, still going on: the "
        "minutes must go to the children's services buyers, but no invitee rule invites them, so the "
        "minutes could never be circulated."
    )


def test_the_same_draft_with_its_timing_publishes(client, tmp_path):
    """The sound counterpart, with the real evaluator: a reworded PSM goes live on approval."""
    load_county(tmp_path)
    author, second = policy_owner("owner-a"), policy_owner("owner-b")
    live_before = psm().live_revision_id
    mt = submit_change(client, author, summary="Reworded by the policy owner.")
    approve(mt, second)
    mt = psm()
    assert mt.live_revision_id != live_before
    assert mt.live_revision.as_object().summary == "Reworded by the policy owner."
