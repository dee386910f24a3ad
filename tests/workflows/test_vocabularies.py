"""Issue 10, "the council's own vocabulary": lists a policy owner edits per pack, used everywhere.

Expected words come from the pack files built here (the council's own names), never from the output.
"""

from __future__ import annotations

import copy
from datetime import date
from html import escape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outbox.models import OutboxMessage
from portal.choices import Role
from tests.factories import UserFactory
from workflows import services
from workflows.conditions import condition_problems
from workflows.fact_snapshot import fact_snapshot
from workflows.facts import PLACEMENT_PURPOSES
from workflows.models import Meeting, PackSetting, PackVocabulary
from workflows.packs import PackError, pack_export, pack_load, pack_validate
from workflows.rules import RuleRefusal
from workflows.vocabularies import pack_vocabularies, vocabularies_for_meeting_type
from workflows.vocabulary_kinds import TERMS

from .factories import at, meeting_type, pack_data, psm_request, submit_with_reports

DM_NAME = "Placement ending learning review"
IRO_WORD = "child's independent reviewer"
ACTIONS_WORD = "agreed tasks"


def harbourside() -> dict:
    """A fictional council: the county's procedures under its own names and words."""
    data = copy.deepcopy(pack_data("county"))
    data.update(slug="harbourside", name="Harbourside placement meetings", council_name="Harbourside Council")
    for entry in data["meeting_types"]:
        if entry["code"] == "DM":
            entry["name"] = DM_NAME
    vocab = data["vocabularies"]
    vocab["term"] = [
        {"key": "iro", "label": IRO_WORD},
        {"key": "actions", "label": ACTIONS_WORD},
    ]
    vocab["role"] = [
        {"key": "practice_consultant", "label": "Practice consultant", "maps_to": "team_manager"}
    ]
    vocab["team_kind"] = [
        {"key": "adoption_permanence", "label": "Adoption and permanence service", "maps_to": "fostering"}
    ]
    vocab["placement_purpose"] = [*vocab["placement_purpose"], {"key": "staying_put", "label": "Staying put"}]
    vocab["request_flag"] = [
        {"key": "complex", "label": "Complex"},
        {"key": "sibling_group", "label": "Sibling group"},
    ]
    return data


@pytest.fixture
def council(db):
    return pack_load(harbourside())


def dm_request(people, pack):
    child = people.child()
    placement = people.placement(
        child,
        is_permanent=True,
        ratified_permanent_on=date(2024, 5, 1),
        end_date=date(2026, 3, 2),
        ended_unplanned=True,
    )
    return services.meeting_request(
        meeting_type=meeting_type(pack, "DM"),
        child=child,
        placement=placement,
        by=people.social_worker,
        requested_at=at(date(2026, 3, 4)),
    )


def test_renamed_meeting_and_iro_show_on_the_meeting_page_and_in_its_email__issue10(client, people, council):
    meeting = submit_with_reports(dm_request(people, council), people)
    client.force_login(people.social_worker)
    page = client.get(reverse("workflows:meeting_detail", args=[meeting.pk])).content.decode()
    assert DM_NAME in page
    assert escape(IRO_WORD[0].upper() + IRO_WORD[1:]) in page  # the IRO row, in the council's word
    assert TERMS["iro"].capitalize() not in page
    # The conference request e-mail (D4) names the meeting as the council does.
    mails = OutboxMessage.objects.filter(reference=meeting.reference, channel="email")
    assert mails.exists()
    assert all(DM_NAME in m.subject and DM_NAME in m.body for m in mails)


def test_the_navigation_and_my_actions_use_the_installations_terms__issue10(client, people, council):
    client.force_login(people.social_worker)
    page = client.get(reverse("workflows:my_actions")).content.decode()
    assert f"My {ACTIONS_WORD}" in page  # heading and menu, from the only pack's terms


def test_a_practice_consultant_mapped_to_team_manager_approves_like_one__issue10(people, council):
    consultant = UserFactory(username="pc", council_role="practice_consultant", team=people.cs_team)
    assert consultant.role == Role.TEAM_MANAGER  # the mapped permission set, never typed by hand
    assert consultant.role_label == "Practice consultant" == consultant.job_title_shown
    people.cs_team.manager = consultant
    people.cs_team.save()
    meeting = submit_with_reports(psm_request(people, council), people)
    meeting = services.meeting_approve(meeting=meeting, by=consultant)
    assert meeting.approvals.get().by == consultant
    # Someone with no council role and no manager's role is still refused.
    other = submit_with_reports(psm_request(people, council), people)
    with pytest.raises(RuleRefusal):
        services.meeting_approve(meeting=other, by=people.ssw)


def test_a_council_role_no_pack_defines_is_refused_with_a_sentence__issue10(people, council):
    user = UserFactory.build(username="x", council_role="head_of_nowhere")
    with pytest.raises(ValidationError) as info:
        user.clean()
    assert "No pack has a council role “head_of_nowhere”" in str(info.value)


def test_an_unknown_vocabulary_key_in_a_condition_is_refused_with_a_sentence__issue10(council, county):
    condition = {"and": [{"==": [{"var": "placement.purpose"}, "staying_put"]}]}
    # The county pack keeps the default purposes: no "staying put" there.
    county_problems = condition_problems(
        condition, vocabularies=vocabularies_for_meeting_type(county.meeting_types.first())
    )
    assert county_problems == [
        "“Placement purpose” has no option “staying_put”: choose from "
        + ", ".join(label for _k, label in PLACEMENT_PURPOSES)
        + "."
    ]
    # Harbourside added it, so its meeting types may use it.
    assert (
        condition_problems(
            condition, vocabularies=vocabularies_for_meeting_type(council.meeting_types.first())
        )
        == []
    )
    flags = {"and": [{"in": ["urgent", {"var": "request.flags"}]}]}
    problems = condition_problems(flags, vocabularies=pack_vocabularies(council))
    assert problems and "“Request flags” has no option “urgent”" in problems[0]


def test_pack_vocabularies_round_trip_and_reload_keeps_edits__issue10(council):
    data = harbourside()
    exported = pack_export(council)
    assert exported["vocabularies"] == {
        kind: [
            row if kind in ("role", "team_kind") else {"key": row["key"], "label": row["label"]}
            for row in rows
        ]
        for kind, rows in data["vocabularies"].items()
    }
    vocab = pack_vocabularies(council)
    assert ("adoption_permanence", "Adoption and permanence service") in vocab["team_kind"]
    assert ("fostering", "Fostering service") in vocab["team_kind"]  # built-in kinds stay
    # A policy owner's edit survives loading the file again.
    row = PackVocabulary.objects.get(pack=council, kind="term", key="iro")
    row.label = "reviewing officer"
    row.save()
    pack_load(data)
    row.refresh_from_db()
    assert row.label == "reviewing officer"
    assert PackVocabulary.objects.filter(pack=council).count() == sum(
        len(r) for r in data["vocabularies"].values()
    )


def test_a_bad_vocabulary_entry_is_named_by_its_path__issue10(db):
    data = harbourside()
    data["vocabularies"]["role"] = [{"key": "head_of_service", "label": "Head of service", "maps_to": "boss"}]
    data["vocabularies"]["term"] = [{"key": "meeting_room", "label": "Room"}]
    errors = pack_validate(data)
    assert any(
        e.startswith("vocabularies.role[0].maps_to: A council role needs the built-in role") for e in errors
    )
    assert any(
        e.startswith("vocabularies.term[0].key: “meeting_room” is not one of the portal's terms")
        for e in errors
    )
    with pytest.raises(PackError):
        pack_load(data)


def test_out_of_area_compares_the_placement_la_with_the_packs_own_code__issue10(people, council):
    own = council.setting("council_la_code")
    assert own  # the county pack file (and so this council's) carries one
    child = people.child()
    inside = people.placement(child, placement_la=own)
    outside = people.placement(child, placement_la="201")
    unknown = people.placement(child, placement_la="")
    day = date(2026, 3, 2)
    assert (
        fact_snapshot(child=child, placement=inside, anchor_on=day, pack=council)["placement"]["out_of_area"]
        is False
    )
    assert (
        fact_snapshot(child=child, placement=outside, anchor_on=day, pack=council)["placement"]["out_of_area"]
        is True
    )
    assert (
        fact_snapshot(child=child, placement=unknown, anchor_on=day, pack=council)["placement"]["out_of_area"]
        is None
    )
    PackSetting.objects.filter(pack=council, key="council_la_code").delete()
    council.refresh_from_db()
    assert (
        fact_snapshot(child=child, placement=outside, anchor_on=day, pack=council)["placement"]["out_of_area"]
        is None
    )


def _date_parts(name: str, day: date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_request_form_asks_who_raised_it_and_offers_the_packs_flags__issue10(client, people, council):
    child = people.child()
    placement = people.placement(child)
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_request", args=[child.pk])
    psm = meeting_type(council, "PSM")
    page = client.get(url + f"?type={psm.pk}").content.decode()
    assert "Who raised the concern?" in page and "Sibling group" in page and "Safeguarding" not in page
    post = {
        "meeting_type_pk": psm.pk,
        "placement": placement.pk,
        "triggers": ["carers_struggling"],
        "support_tried": "Extra supervision visits in February.",
        **_date_parts("concern_raised_on", date(2026, 3, 2)),
        "concern_raised_by": "Head of year",
    }
    refused = client.post(url, {**post, "concern_raised_by_kind": "astrologer", "request_flags": ["urgent"]})
    assert refused.status_code == 400 and not Meeting.objects.filter(child=child).exists()
    body = refused.content.decode()
    assert 'href="#id_concern_raised_by_kind"' in body and 'href="#id_request_flags"' in body
    assert "Choose who raised the concern from the list." in body
    assert 'value="Head of year"' in body  # nothing typed is lost
    response = client.post(
        url, {**post, "concern_raised_by_kind": "teacher", "request_flags": ["sibling_group"]}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(child=child)
    assert meeting.concern_raised_by_kind == "teacher" and meeting.request_flags == ["sibling_group"]
    shown = client.get(reverse("workflows:meeting_detail", args=[meeting.pk])).content.decode()
    assert "A teacher or other education professional" in shown and "Sibling group" in shown


def test_cms_placement_form_offers_the_childs_packs_purposes_and_refuses_others__issue10(
    client, people, council
):
    from django.forms.models import model_to_dict

    from portal.wagtail_hooks import PlacementViewSet

    child = people.child()
    placement = people.placement(child)
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    page = client.get(reverse("case_placements:edit", args=[placement.pk])).content.decode()
    assert 'value="staying_put"' in page and "Staying put" in page  # the council's own purpose
    assert 'value="special_guardianship"' in page
    form_class = PlacementViewSet().get_form_class(for_update=True)
    data = {k: v for k, v in model_to_dict(placement).items() if v is not None}
    refused = form_class(data={**data, "purpose": "holiday"}, instance=placement)
    assert not refused.is_valid() and "purpose" in refused.errors
    no_order = form_class(data={**data, "legal_order_on": "2025-01-06"}, instance=placement)
    assert not no_order.is_valid()
    assert no_order.errors["legal_order"] == ["Say which legal order was made on that date."]
    saved = form_class(
        data={
            **data,
            "purpose": "staying_put",
            "legal_order": "special_guardianship",
            "legal_order_on": "2025-01-06",
        },
        instance=placement,
    )
    assert saved.is_valid(), saved.errors
    saved.save()
    placement.refresh_from_db()
    assert (placement.purpose, placement.legal_order) == ("staying_put", "special_guardianship")


def test_editing_the_packs_vocabulary_in_the_cms_keeps_a_revision__issue10(council):
    from wagtail.models import Revision

    before = Revision.objects.for_instance(council).count()
    council.vocabulary.add(PackVocabulary(kind="term", key="placements", label="homes"))
    council.save_revision(log_action=True)
    revision = Revision.objects.for_instance(council).order_by("-pk").first()
    assert Revision.objects.for_instance(council).count() == before + 1
    words = {(row.kind, row.key): row.label for row in revision.as_object().vocabulary.all()}
    assert words[("term", "placements")] == "homes"


def test_the_service_refuses_a_person_kind_or_flag_the_pack_does_not_define__issue10(people, council):
    """Refused in the service, not only the form: nothing is created (issue 10)."""
    with pytest.raises(RuleRefusal) as info:
        psm_request(people, council, concern_raised_by_kind="astrologer", request_flags=["urgent"])
    fields = {r.field for r in getattr(info.value, "refusals", [info.value])}
    assert fields == {"concern_raised_by_kind", "request_flags"}
    assert "Complex, Sibling group" in str([r.message for r in info.value.refusals])
    assert not Meeting.objects.exists()


def test_a_team_of_the_councils_own_kind_behaves_as_its_mapped_kind__issue10(council):
    from portal.choices import TeamKind
    from portal.wagtail_hooks import TeamViewSet
    from tests.factories import TeamFactory

    team = TeamFactory(name="Adoption and permanence", kind=TeamKind.CHILDREN_SOCIAL_WORK)
    team.council_kind = "adoption_permanence"
    team.save()
    team.refresh_from_db()
    assert team.kind == TeamKind.FOSTERING  # the pack maps it onto the fostering service
    assert team.kind_keys == {"fostering", "adoption_permanence"}
    form = TeamViewSet().get_form_class(for_update=True)(instance=team)
    assert ("adoption_permanence", f"Adoption and permanence service ({council.name})") in list(
        form.fields["council_kind"].choices
    )


def test_the_packs_cms_page_lists_its_vocabulary_for_policy_owners__issue10(client, council):
    from .cms_helpers import policy_owner

    client.force_login(policy_owner("po"))
    url = reverse("wagtailsnippets_workflows_procedurepack:edit", args=[council.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Practice consultant" in html and IRO_WORD in html.replace("&#x27;", "'")
