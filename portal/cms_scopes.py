"""What scoped roles see in the CMS: the same children as on the worker site (issue 11, item 4).

Team managers and assistant team managers use the CMS to look up their teams' case records. Every CMS
listing and report that can name a child goes through `portal.selectors.children_for_user`, so a record
the worker site would answer with 404 is not listed, counted or named in the CMS either: the case-record
listings (portal.wagtail_hooks) and the site-history report (log entries of any model that belongs to a
child). Roles that see every child (auditors, superusers) see everything.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from .models import CarerHousehold, Child, Home, Placement, Provider, Team
from .selectors import children_for_user, sees_every_child


def _child_path(model: type[Model]) -> str | None:
    """How a row of `model` reaches the child it belongs to, or None if it belongs to no child."""
    if model is Child:
        return "pk"
    fields = {f.name: f for f in model._meta.get_fields() if f.is_relation and f.many_to_one}
    for name, via in (("child", ""), ("meeting", "__child"), ("submission", "__child")):
        field = fields.get(name)
        if field is None:
            continue
        target = field.related_model
        if name == "child" and target is Child:
            return "child"
        if name != "child" and any(f.name == "child" for f in target._meta.get_fields()):
            return f"{name}{via}"
    return None


@cache
def _child_models() -> tuple[tuple[type[Model], str], ...]:
    return tuple((model, path) for model in apps.get_models() if (path := _child_path(model)) is not None)


def log_entries_scoped(user, queryset: QuerySet) -> QuerySet:
    """Log entries (Wagtail's model or page log) without those about children `user` may not see."""
    if sees_every_child(user) or not any(f.name == "object_id" for f in queryset.model._meta.fields):
        return queryset  # page log entries are about procedure pages, never a child
    visible = children_for_user(user).values("pk")
    hidden = Q()
    for model, path in _child_models():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        shown_ids = (
            model._default_manager.filter(**{f"{path}__in": visible})
            .annotate(object_key=Cast("pk", CharField()))
            .values("object_key")
        )
        hidden |= Q(content_type=content_type) & ~Q(object_id__in=shown_ids)
    return queryset.exclude(hidden) if hidden else queryset


class ScopedLogEntriesView(LogEntriesView):
    """The CMS's site-history report, scoped like the worker site: a team manager never sees another
    team's child named in it (the entries about that child are left out)."""

    def filter_queryset(self, queryset):
        return log_entries_scoped(self.request.user, super().filter_queryset(queryset))


# --- case-record listings that name no child but belong to children's placements ---------------------


def _visible_placements(user) -> QuerySet[Placement]:
    return Placement.objects.filter(child__in=children_for_user(user).values("pk"))


def carer_households_for_user(user, queryset: QuerySet[CarerHousehold]) -> QuerySet[CarerHousehold]:
    """Carers the user's children live or lived with, and carers supervised from the user's team."""
    if sees_every_child(user):
        return queryset
    q = Q(pk__in=_visible_placements(user).values("carer_household"))
    if getattr(user, "team_id", None):
        q |= Q(supervising_social_worker__team=user.team_id)
    return queryset.filter(q)


def homes_for_user(user, queryset: QuerySet[Home]) -> QuerySet[Home]:
    if sees_every_child(user):
        return queryset
    return queryset.filter(pk__in=_visible_placements(user).values("home"))


def providers_for_user(user, queryset: QuerySet[Provider]) -> QuerySet[Provider]:
    if sees_every_child(user):
        return queryset
    placements = _visible_placements(user)
    return queryset.filter(
        Q(pk__in=placements.values("provider"))
        | Q(pk__in=placements.values("carer_household__provider"))
        | Q(pk__in=placements.values("home__provider"))
    )


def teams_for_user(user, queryset: QuerySet[Team]) -> QuerySet[Team]:
    """The user's own team, the teams they manage and the teams of the children they may see."""
    if sees_every_child(user):
        return queryset
    q = Q(pk__in=children_for_user(user).values("team")) | Q(manager=user)
    if getattr(user, "team_id", None):
        q |= Q(pk=user.team_id)
    return queryset.filter(q)
