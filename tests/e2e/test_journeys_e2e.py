"""In Chromium: whole journeys, each step done by the role that does it (issue 9, "Done when").

Only the people, the child, the placement and the pack are set up with factories and services;
every step of the meeting (request, reports, approval, arrangements, held, minutes, approval of the
minutes, circulation, close) is taken in the browser. After each step the test checks what the user
sees, that the step did not have to be taken twice, and that no rule ID is on the screen.
"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from tests.workflows.factories import People, load_pack
from workflows.choices import MeetingState
from workflows.form_packs import forms_load
from workflows.models import Meeting
from workflows.policy import outcome_questions_for
from workflows.selectors import approval_queue_for_user

pytestmark = pytest.mark.django_db(transaction=True)

PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"
RULE_ID = re.compile(r"\b[GPDB]\d{1,2}\b")

# Fill every visible, empty, required-looking answer of a forms_builder form: a radio group with
# nothing chosen gets its last option ("No" for yes/no questions), text boxes get a sentence and
# date boxes today's date. Person lists are left to the caller (owners are chosen deliberately).
FILL_EMPTY = """
(today) => {
  const form = document.querySelector('main form[method=post]');
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const groups = {};
  for (const r of form.querySelectorAll('input[type=radio]')) {
    if (visible(r)) (groups[r.name] = groups[r.name] || []).push(r);
  }
  for (const radios of Object.values(groups)) {
    if (!radios.some((r) => r.checked)) radios[radios.length - 1].click();
  }
  for (const el of form.querySelectorAll('textarea, input[type=text], input[type=date]')) {
    if (!visible(el) || el.value || el.name === 'csrfmiddlewaretoken') continue;
    el.value = el.type === 'date' ? today : 'Written for the journey test.';
  }
}
"""


class Journey:
    """The browser, signed in as one person at a time, collecting every page's visible text."""

    def __init__(self, page, login_as) -> None:
        self.page = page
        self.login_as = login_as
        self.seen: list[tuple[str, str]] = []

    def as_(self, user) -> None:
        self.login_as(user)
        self.look()

    def look(self) -> str:
        self.page.wait_for_load_state()
        text = self.page.inner_text("main")
        self.seen.append((self.page.url, text))
        return text

    def go(self, url: str) -> str:
        self.page.goto(url)
        return self.look()

    def click(self, role: str, name: str, **kwargs) -> str:
        self.page.get_by_role(role, name=name, **kwargs).click()
        return self.look()

    def sees(self, words: str) -> str:
        """The success message (or any text) is on the page now; a problem box fails loudly."""
        text = self.look()
        assert words in text, f"expected {words!r} on {self.page.url}, saw:\n{text[:1500]}"
        return text

    def fill_empty(self) -> None:
        self.page.evaluate(FILL_EMPTY, date.today().isoformat())

    def no_rule_ids(self) -> None:
        shown = [(url, RULE_ID.findall(text)) for url, text in self.seen if RULE_ID.search(text)]
        assert not shown, f"rule IDs on screen: {shown}"


def _fill_date(page, name: str, day: date) -> None:
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


def _state(meeting: Meeting) -> str:
    meeting.refresh_from_db()
    return meeting.state


def _write_report(j: Journey, meeting: Meeting, label: str) -> None:
    """The report's author opens it from the meeting page, completes it and submits it once."""
    j.go(f"/meetings/{meeting.pk}/")
    j.page.locator("main table").get_by_role("link", name=label).click()
    j.look()
    j.fill_empty()
    j.click("button", "Submit", exact=True)
    j.sees("has been submitted")


def _write_minutes(j: Journey, meeting: Meeting, actions: list[tuple[str, object, date, str]]) -> None:
    j.go(f"/meetings/{meeting.pk}/")
    j.click("link", "Write the minutes")
    for row, (text, owner, due, evaluation) in enumerate(actions):
        if row:
            j.click("button", "Add another row to Actions")
        j.page.locator(f"#id_actions-{row}-action").fill(text)
        owners = j.page.locator(f"#id_actions-{row}-owner option").all_inner_texts()
        assert owner.get_full_name() in owners, owners
        j.page.locator(f"#id_actions-{row}-owner").select_option(str(owner.pk))
        j.page.locator(f"#id_actions-{row}-due_on").fill(due.isoformat())
        j.page.locator(f"#id_actions-{row}-evaluation").fill(evaluation)
    j.fill_empty()
    j.click("button", "Submit", exact=True)
    j.sees("has been submitted")


def test_psm_whole_journey_as_each_role__P1__P2__P4__P6__G3(page, login_as):
    load_pack("county")
    forms_load(PACKS / "county")
    people = People()
    child = people.child()
    placement = people.placement(child)
    today = date.today()
    raised = today - timedelta(days=1)
    j = Journey(page, login_as)

    # 1. The child's social worker requests the PSM from the child's page.
    j.as_(people.social_worker)
    j.go(f"/children/{child.pk}/")
    j.click("link", "Request a meeting")
    page.get_by_label("Placement stability meeting").check()
    j.click("button", "Continue")
    page.locator(f"input[name=placement][value='{placement.pk}']").check()
    page.locator("input[name=triggers]").first.check()
    page.locator("#id_support_tried").fill("Extra supervision and a respite weekend.")
    _fill_date(page, "concern_raised_on", raised)
    page.locator("#id_concern_raised_by").fill("The foster carers")
    j.click("button", "Request the meeting")
    meeting = Meeting.objects.get(child=child)
    text = j.sees(f"Meeting requested: {meeting.reference}")
    # The report that goes with the request is missing: the page says so, unmissably (P2).
    assert "This request has not been sent for approval yet." in text
    assert _state(meeting) == MeetingState.REQUESTED

    # 2. The supervising social worker writes the PSM report, as its author.
    j.as_(people.ssw)
    _write_report(j, meeting, "Placement stability meeting report")

    # 3. The social worker sends the request (one press, now the report is attached).
    j.as_(people.social_worker)
    j.go(f"/meetings/{meeting.pk}/")
    j.click("button", "Send for approval")
    j.sees("The request has been sent for approval.")
    assert _state(meeting) == MeetingState.AWAITING_APPROVAL

    # 4. The team manager approves from the approval queue, with a confirmation step.
    j.as_(people.team_manager)
    assert meeting.reference in j.go("/meetings/approvals/")
    j.click("link", f"Approve {meeting.reference}")
    j.click("button", "Approve the request")
    j.sees("Your approval has been recorded.")
    assert _state(meeting) == MeetingState.APPROVED

    # 5. The social worker arranges it: chair, invitees, the child's invitation decision.
    j.as_(people.social_worker)
    j.go(f"/meetings/{meeting.pk}/")
    j.click("link", "Arrange the meeting")
    _fill_date(page, "day", today)
    page.locator("#id_start").fill("10:30")
    page.locator("#id_venue").fill("Family centre, room 2")
    page.locator(f"input[name=chair][value='{people.fostering_manager.pk}']").check()
    page.locator("#id_child_invited-2").check()  # "No"
    page.locator("#id_child_invite_reason").fill("She asked not to come; her views are in the report.")
    j.click("button", "Save the arrangements")
    j.sees("The meeting has been arranged and the invitations sent.")
    assert _state(meeting) == MeetingState.SCHEDULED
    invitees = list(meeting.invitees.exclude(attendance="not_invited").order_by("pk"))
    assert len(invitees) >= 2, invitees

    # 6. Any reports still due before the meeting, by their authors.
    for report in meeting.reports.filter(received_at__isnull=True):
        author = {"social_worker": people.social_worker, "supervising_social_worker": people.ssw}[
            report.author_role
        ]
        j.as_(author)
        _write_report(j, meeting, report.label)

    # 7. The chair records it as held, with one invitee who did not attend.
    chair = people.fostering_manager
    j.as_(chair)
    j.go(f"/meetings/{meeting.pk}/")
    j.click("link", "Record that it was held")
    _fill_date(page, "held_day", today)
    absent = invitees[-1]
    page.locator(f"input[name=attendance_{absent.pk}][value=did_not_attend]").check()
    j.click("button", "Record that it was held")
    j.sees("The meeting is recorded as held.")
    assert _state(meeting) == MeetingState.HELD
    absent.refresh_from_db()
    assert absent.attendance == "did_not_attend"

    # 8. The chair writes the minutes with two actions and submits them.
    _write_minutes(
        j,
        meeting,
        [
            ("Arrange weekend respite", people.ssw, today + timedelta(days=21), "Carers feel supported."),
            (
                "Refer to CAMHS for a sleep assessment",
                people.social_worker,
                today + timedelta(days=35),
                "Referral accepted.",
            ),
        ],
    )
    assert _state(meeting) == MeetingState.MINUTES_DRAFTED
    assert meeting.actions.count() == 2

    # 9. The minutes are approved, and circulated.
    j.go(f"/meetings/{meeting.pk}/")
    j.click("button", "Approve the minutes")
    j.look()
    assert _state(meeting) == MeetingState.MINUTES_APPROVED
    j.click("button", "Send the minutes")
    j.look()
    assert _state(meeting) == MeetingState.CIRCULATED

    # 10. The meeting is closed.
    j.click("link", "Close the meeting")
    j.fill_empty()
    j.click("button", "Close the meeting")
    j.sees("The meeting is closed.")
    assert _state(meeting) == MeetingState.CLOSED

    # The actions are on their owners' "My actions" and on the team manager's actions dashboard.
    j.as_(people.ssw)
    mine = j.go("/meetings/actions/")
    assert "Arrange weekend respite" in mine and "Refer to CAMHS" not in mine
    j.as_(people.social_worker)
    assert "Refer to CAMHS for a sleep assessment" in j.go("/meetings/actions/")
    j.as_(people.team_manager)
    board = j.go("/dashboards/actions/")
    assert "Arrange weekend respite" in board and "Refer to CAMHS for a sleep assessment" in board
    j.no_rule_ids()


def test_dm_whole_journey_as_each_role__D1__D2__D5__D8__D9__D10(page, login_as):
    load_pack("county")
    forms_load(PACKS / "county")
    people = People()
    child = people.child()
    today = date.today()
    ended = today - timedelta(days=35)  # day 35 of the 28-42 day window (D2)
    placement = people.placement(
        child,
        is_permanent=True,
        ratified_permanent_on=today - timedelta(days=400),
        end_date=ended,
        ended_unplanned=True,
    )
    j = Journey(page, login_as)

    # 1. The social worker requests the DM from the child's page and attaches the request form.
    j.as_(people.social_worker)
    j.go(f"/children/{child.pk}/")
    j.click("link", "Request a meeting")
    page.get_by_label("Placement disruption meeting").check()
    j.click("button", "Continue")
    page.locator(f"input[name=placement][value='{placement.pk}']").check()
    j.fill_empty()
    j.click("button", "Request the meeting")
    meeting = Meeting.objects.get(child=child)
    text = j.sees(f"Meeting requested: {meeting.reference}")
    assert "This request has not been sent for approval yet." in text
    _write_report(j, meeting, "Disruption meeting request form")
    j.go(f"/meetings/{meeting.pk}/")
    j.click("button", "Send for approval")
    # A DM asked for within 42 days needs no approval in the county procedure (D3): it is approved
    # at once, and the page says so rather than "sent for approval".
    j.sees("The request has been sent. It needs no approval and can be arranged now.")
    assert not approval_queue_for_user(people.team_manager)
    assert _state(meeting) == MeetingState.APPROVED

    # 2. The social worker arranges it: the child's own IRO is refused as chair, with the reason.
    j.go(f"/meetings/{meeting.pk}/")
    j.click("link", "Arrange the meeting")
    assert page.locator(f"input[name=chair][value='{people.iro.pk}']").count() == 0
    page.get_by_text("Why others can").click()
    refused = page.locator("#refused-chairs").inner_text()
    reason = next(line for line in refused.splitlines() if str(people.iro) in line)
    assert len(reason) > len(str(people.iro)) + 20, reason  # a sentence says why
    j.seen.append((page.url, refused))
    _fill_date(page, "day", today)
    page.locator("#id_start").fill("10:30")
    page.locator("#id_venue").fill("Family centre, room 2")
    page.locator(f"input[name=chair][value='{people.independent_iro.pk}']").check()
    page.locator("#id_child_invited-2").check()  # "No"
    page.locator("#id_child_invite_reason").fill("He will share his views through his social worker.")
    j.click("button", "Save the arrangements")
    j.sees("The meeting has been arranged and the invitations sent.")
    assert _state(meeting) == MeetingState.SCHEDULED
    assert meeting.chair == people.independent_iro

    # 3. The reports before the meeting, each by its author.
    authors = {"social_worker": people.social_worker, "supervising_social_worker": people.ssw}
    pending = list(meeting.reports.filter(received_at__isnull=True))
    assert pending
    for report in pending:
        j.as_(authors[report.author_role])
        _write_report(j, meeting, report.label)

    # 4. The chair records it as held, then writes and approves the minutes, and sends them.
    chair = people.independent_iro
    j.as_(chair)
    j.go(f"/meetings/{meeting.pk}/")
    j.click("link", "Record that it was held")
    _fill_date(page, "held_day", today)
    j.click("button", "Record that it was held")
    j.sees("The meeting is recorded as held.")
    _write_minutes(
        j,
        meeting,
        [
            (
                "Offer the carers a debrief with the fostering service",
                people.ssw,
                today + timedelta(days=28),
                "Debrief held.",
            )
        ],
    )
    j.go(f"/meetings/{meeting.pk}/")
    j.click("button", "Approve the minutes")
    assert _state(meeting) == MeetingState.MINUTES_APPROVED
    j.click("button", "Send the minutes")
    assert _state(meeting) == MeetingState.CIRCULATED

    # 5. The outcome questions are answered at close.
    j.click("link", "Close the meeting")
    j.fill_empty()
    j.click("button", "Close the meeting")
    j.sees("The meeting is closed.")
    assert _state(meeting) == MeetingState.CLOSED
    asked = {q["key"] for q in outcome_questions_for(meeting)}
    assert asked and asked <= set(meeting.outcome_answers), meeting.outcome_answers
    j.as_(people.ssw)
    assert "Offer the carers a debrief" in j.go("/meetings/actions/")
    j.no_rule_ids()
