"""Write the demo authority into the database. Idempotent: a second run on the same day writes nothing.

Rows are found by natural keys (team, provider and home names, usernames, case record numbers); a
child's placements, involvements and notes are matched in order and updated in place, so running again
on a later day moves the dates along with today (the demo stays fresh) without duplicating anything.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from portal.choices import InvolvementRole
from portal.models import CarerHousehold, CaseNote, Child, Home, Involvement, Placement, Provider, Team, User
from portal.services import role_groups_ensure, user_role_groups_sync, user_set_role
from reminders.sweep import reminders_sweep
from workflows.models import Meeting

from . import people
from .children import KEY_WORKERS, ChildPlan, child_plans
from .history import demo_history_load
from .meetings import demo_meetings_load
from .policy import demo_auditor_export, demo_policy_changes_submit

LONDON = ZoneInfo("Europe/London")


@dataclass
class DemoResult:
    today: date
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    meetings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values()))


class _Writer:
    def __init__(self, result: DemoResult) -> None:
        self.result = result

    @staticmethod
    def _differs(obj: models.Model, name: str, value) -> bool:
        f = obj._meta.get_field(name)
        if f.is_relation:
            return getattr(obj, f.attname) != (value.pk if value is not None else None)
        return getattr(obj, name) != value

    def update(self, obj: models.Model, values: dict) -> models.Model:
        changed = [name for name, value in values.items() if self._differs(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            if isinstance(obj, Placement):
                obj.clean()
            obj.save()
            self.result.updated[obj._meta.verbose_name_plural] += 1
        return obj

    def create(self, model: type[models.Model], values: dict) -> models.Model:
        obj = model(**values)
        if isinstance(obj, Placement):
            obj.clean()
        obj.save()
        self.result.created[model._meta.verbose_name_plural] += 1
        return obj

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            return self.create(model, {**lookup, **values})
        return self.update(obj, values)

    def sync(self, model: type[models.Model], existing: list, desired: list[dict], key) -> list:
        """Match rows to the desired ones by `key(row)`, in order; update, add or delete the difference."""
        pool: dict = defaultdict(list)
        for obj in existing:
            pool[key(obj)].append(obj)
        kept = []
        for values in desired:
            matches = pool[key(values)]
            kept.append(self.update(matches.pop(0), values) if matches else self.create(model, values))
        for leftovers in pool.values():
            for obj in leftovers:
                try:
                    obj.delete()
                    self.result.deleted[model._meta.verbose_name_plural] += 1
                except ProtectedError:  # a meeting or form points at it: leave it be
                    pass
        return kept


# The demo council's own local authority code (the county pack's `council_la_code`) and a neighbour's.
OWN_LA, NEIGHBOUR_LA = "999", "872"


def _purpose_and_order(p, today) -> dict:
    """Purpose, legal order and placement area derived from the plan (issue 10), without drawing from
    the seeded generator, so every other demo value stays as it was: ratified placements are permanent
    (a connected person's with a special guardianship order on the day it was ratified), long-term
    fostering codes long-term, short planned moves bridging, short unplanned ones emergency; agency
    children's homes are in a neighbouring council's area."""
    length = (p.start - p.end) if p.end is not None else p.start
    order, order_on = "", None
    if p.ratified is not None:
        purpose = "permanent"
        if p.placement_type in {"U1", "U2", "U3"}:
            order, order_on = "special_guardianship", _ago(today, p.ratified)
    elif p.placement_type in {"U1", "U4"}:
        purpose = "long_term"
    elif p.end is not None and p.ended_unplanned and length < 60:
        purpose = "emergency"
    elif p.end is not None and not p.ended_unplanned and length < 180:
        purpose = "bridging"
    else:
        purpose = "short_term" if p.end is not None else ""
    agency_home = p.placement_type == "K2" and p.provider_code != "PR1"
    return {
        "purpose": purpose,
        "legal_order": order,
        "legal_order_on": order_on,
        "placement_la": NEIGHBOUR_LA if agency_home else OWN_LA,
    }


def _ago(today: date, days: int | None) -> date | None:
    return None if days is None else today - timedelta(days=days)


def demo_load(*, today: date | None = None, with_meetings: bool = False) -> DemoResult:
    """Create or refresh the Harrowvale demo. Returns what it created, updated and deleted."""
    today = today or timezone.localdate()
    result = DemoResult(today=today)
    w = _Writer(result)
    with transaction.atomic():
        role_groups_ensure()
        teams = {
            key: w.upsert(Team, {"name": name}, {"kind": kind, "area": area})
            for key, (name, kind, area) in people.TEAMS.items()
        }
        users = {username: _user(w, username, spec, teams) for username, spec in people.STAFF.items()}
        for key, username in people.TEAM_MANAGERS.items():
            w.update(teams[key], {"manager": users[username]})
        providers = {
            key: w.upsert(Provider, {"name": name}, {"kind": kind, "ofsted_urn": urn, "contact_email": email})
            for key, (name, kind, urn, email) in people.PROVIDERS.items()
        }
        homes = {
            key: w.upsert(
                Home,
                {"name": name},
                {
                    "provider": providers[provider] if provider else None,
                    "area": area,
                    "ofsted_urn": urn,
                    "manager_name": manager,
                },
            )
            for key, (name, provider, area, urn, manager) in people.HOMES.items()
        }
        carers = {}
        for n, (ref, (name, kind, area, ssw, provider)) in enumerate(people.CARERS.items()):
            carers[ref] = w.upsert(
                CarerHousehold,
                {"local_reference": ref},
                {
                    "name": name,
                    "kind": kind,
                    "area": area,
                    "approved_on": today.replace(day=1) - timedelta(days=400 + 290 * n),
                    "supervising_social_worker": users[ssw] if ssw else None,
                    "provider": providers[provider] if provider else None,
                },
            )
        plans = child_plans()
        for position, plan in enumerate(plans):
            _child(w, plan, position, today, teams, users, providers, homes, carers)
    if with_meetings:
        before = Meeting.objects.count()
        result.meetings = demo_meetings_load(plans=plans, today=today)
        result.meetings += demo_history_load(plans=plans, today=today)
        _demo_reminders(today)

        with transaction.atomic():
            demo_policy_changes_submit()
        demo_auditor_export(today)
        if Meeting.objects.count() > before:
            result.created["meetings"] += Meeting.objects.count() - before
    return result


def _demo_reminders(today: date) -> None:
    """Run the daily sweep on the demo's clock (today and the two days before, so a demo loaded at a
    weekend still shows Friday's reminders), so each role signs in to notifications waiting (issue 13).
    The sweep's dedupe keys make a second load send nothing twice."""
    for back in (2, 1, 0):
        reminders_sweep(today=today - timedelta(days=back))


_HASHES: dict[str, str] = {}


def _demo_password_hash() -> str:
    """One hash for every demo login: hashing 36 times takes seconds and buys a demo nothing."""
    if people.DEMO_PASSWORD not in _HASHES:
        _HASHES[people.DEMO_PASSWORD] = make_password(people.DEMO_PASSWORD)
    return _HASHES[people.DEMO_PASSWORD]


def _user(w: _Writer, username: str, spec: tuple, teams: dict) -> User:
    first, last, role, team_key, title = spec
    values = {
        "first_name": first,
        "last_name": last,
        "email": f"{username}@harrowvale.example.org",
        "team": teams[team_key],
        "job_title": title,
        "council_role": people.COUNCIL_ROLES.get(username, ""),
    }
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, **values)
        user.password = _demo_password_hash()
        user.save()  # the save signal puts them in their role's group (and CMS roles in the CMS)
        w.result.created["users"] += 1
        return user
    w.update(user, values)
    if user.role != role:
        user = user_set_role(user=user, role=role)
        w.result.updated["users"] += 1
    else:
        user_role_groups_sync(user=user)
    return user


def _child(w, plan: ChildPlan, position, today, teams, users, providers, homes, carers) -> Child:
    team = teams[plan.team]
    child = w.upsert(
        Child,
        {"local_reference": plan.reference},
        {
            "first_name": plan.first_name,
            "last_name": plan.last_name,
            "date_of_birth": _ago(today, plan.dob_days_ago),
            "gender": plan.gender,
            "legal_status": plan.legal_status,
            "area": team.area,
            "team": team,
            "social_worker": users[plan.social_worker],
            "iro": users[plan.iro],
        },
    )
    placements = []
    for p in plan.placements:
        placements.append(
            {
                "child": child,
                "placement_type": p.placement_type,
                "provider_code": p.provider_code,
                "carer_household": carers[p.carer] if p.carer else None,
                "home": homes[p.home] if p.home else None,
                "provider": providers[p.provider] if p.provider else None,
                "start_date": _ago(today, p.start),
                "end_date": _ago(today, p.end),
                "reason_for_change": p.reason if p.end is not None else "",
                "ended_unplanned": p.ended_unplanned if p.end is not None else None,
                "is_permanent": p.ratified is not None,
                "ratified_permanent_on": _ago(today, p.ratified),
                "notice_period_days": p.notice,
                "has_contingency_plan": p.contingency,
                "contingency_plan": p.contingency_plan,
                **_purpose_and_order(p, today),
            }
        )
    existing = list(Placement.objects.filter(child=child).order_by("start_date", "pk"))
    w.sync(Placement, existing, placements, key=lambda row: "placement")
    w.sync(
        Involvement,
        list(Involvement.objects.filter(child=child).order_by("start_date", "pk")),
        _involvements(plan, position, child, today, users),
        key=lambda row: (_pk(row, "user"), row["role"] if isinstance(row, dict) else row.role),
    )
    notes = [
        {
            "child": child,
            "note_type": note_type,
            "body": body,
            "created_by": users[plan.social_worker],
            "source_reference": f"demo:{plan.reference}:{n}",
        }
        for n, (note_type, body, _days) in enumerate(plan.notes, start=1)
    ]
    kept = w.sync(
        CaseNote,
        list(CaseNote.objects.filter(child=child, source_reference__startswith="demo:")),
        notes,
        key=lambda row: row["source_reference"] if isinstance(row, dict) else row.source_reference,
    )
    for note, (_type, _body, days) in zip(kept, plan.notes, strict=True):
        at = datetime.combine(_ago(today, days), time(10, 30), tzinfo=LONDON)
        if note.created_at != at:
            CaseNote.objects.filter(pk=note.pk).update(created_at=at)
            note.created_at = at
    return child


def _pk(row, name: str):
    if isinstance(row, dict):
        value = row[name]
        return value.pk if value is not None else None
    return getattr(row, f"{name}_id")


def _involvements(plan: ChildPlan, position: int, child: Child, today: date, users: dict) -> list[dict]:
    """Who works with the child: their social worker and IRO (and an earlier IRO for some), the
    supervising social worker of each fostering household, key workers and the home manager in homes."""
    first_start = max(p.start for p in plan.placements)
    rows = []

    def add(username: str, role: str, start: int, end: int | None) -> None:
        rows.append(
            {
                "child": child,
                "user": users[username],
                "role": role,
                "start_date": _ago(today, start),
                "end_date": _ago(today, end),
            }
        )

    add(plan.social_worker, InvolvementRole.SOCIAL_WORKER, min(first_start, 420), None)
    if plan.past_iro:
        handover = first_start // 2
        add(plan.past_iro, InvolvementRole.IRO, first_start, handover)
        add(plan.iro, InvolvementRole.IRO, handover, None)
    else:
        add(plan.iro, InvolvementRole.IRO, first_start, None)
    for p in plan.placements:
        if p.carer and people.CARERS[p.carer][3]:
            add(people.CARERS[p.carer][3], InvolvementRole.SUPERVISING_SOCIAL_WORKER, p.start, p.end)
        if p.home in people.IN_HOUSE_HOMES:
            add(KEY_WORKERS[position % len(KEY_WORKERS)], InvolvementRole.KEY_WORKER, p.start, p.end)
            manager = people.HOME_MANAGER_USERS.get(p.home)
            if manager:
                add(manager, InvolvementRole.HOME_MANAGER, p.start, p.end)
    for username, role, start in plan.extra_involvements:
        add(username, role, start, None)
    return rows
