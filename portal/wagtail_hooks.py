"""The case record in the CMS, under "Case records": list, filter, search and inspect.

Permissions come from Django model permissions (portal.services.ROLE_PERMISSIONS): auditors and managers
hold `view_*` only, so they list and inspect but never add, change or delete. Lists and records of
children (and of their placements, involvements and notes) are scoped by `children_for_user`, so a
manager sees their teams' children in the CMS as on the worker site; a record outside gives 404, in its
history and usage views too. Carer households, homes, providers and teams are scoped to those of the
children the user may see (portal.cms_scopes); auditors see all.
"""

from __future__ import annotations

import django_filters
from django.contrib.admin.utils import unquote
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .cms_scopes import carer_households_for_user, homes_for_user, providers_for_user, teams_for_user
from .forms import placement_vocabulary_form, team_vocabulary_form
from .models import CarerHousehold, CaseNote, Child, Home, Involvement, Placement, Provider, Team
from .selectors import children_for_user


@hooks.register("before_serve_page")
def pages_are_for_signed_in_workers(page, request, serve_args, serve_kwargs):
    """Every page Wagtail serves (procedures, the site root, any page a policy owner adds) is for
    signed-in workers: anyone else goes to the sign-in page first."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


class ScopedViewSetMixin:
    """Index and inspect views of a viewset show only the rows `scope(user, queryset)` keeps."""

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        return queryset

    def _scoped(self, view_class):
        viewset = self

        class IndexView(view_class):
            def get_base_queryset(self):
                return viewset.scope(self.request.user, super().get_base_queryset())

        return IndexView

    @property
    def index_view_class(self):
        return self._scoped(generic.IndexView)

    @property
    def inspect_view_class(self):
        viewset = self

        class InspectView(generic.InspectView):
            def get_object(self, queryset=None):
                base = viewset.scope(self.request.user, self.model._default_manager.all())
                return get_object_or_404(base, pk=unquote(str(self.pk)))

        return InspectView

    @property
    def edit_view_class(self):
        return self._scoped_single(generic.EditView)

    @property
    def delete_view_class(self):
        return self._scoped_single(generic.DeleteView)

    @property
    def history_view_class(self):
        viewset = self

        class HistoryView(generic.HistoryView):
            def get_base_object_queryset(self):
                return viewset.scope(self.request.user, super().get_base_object_queryset())

        return HistoryView

    @property
    def usage_view_class(self):
        viewset = self

        class UsageView(generic.UsageView):
            def get_base_object_queryset(self):
                return viewset.scope(self.request.user, super().get_base_object_queryset())

        return UsageView

    def _scoped_single(self, view_class):
        viewset = self

        class ScopedView(view_class):
            def get_queryset(self):
                return viewset.scope(self.request.user, super().get_queryset())

        return ScopedView


def scoped_filterset(model, fields: list[str], scoped: dict):
    """A list filter whose choices for the related records in `scoped` (field name -> scope function) are
    only those the user may see, so a filter menu never names another team's team, carers or provider."""

    def choices(related, scope):
        return lambda request: scope(request.user, related._default_manager.all())

    attrs = {}
    for name, scope in scoped.items():
        field = model._meta.get_field(name)
        attrs[name] = django_filters.ModelChoiceFilter(
            queryset=choices(field.related_model, scope), label=capfirst(field.verbose_name)
        )
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": fields})
    return type(f"Scoped{model.__name__}FilterSet", (WagtailFilterSet,), attrs)


def _children_scope(user, queryset: QuerySet) -> QuerySet:
    return queryset.filter(pk__in=children_for_user(user).values("pk"))


def _child_records_scope(user, queryset: QuerySet) -> QuerySet:
    return queryset.filter(child__in=children_for_user(user).values("pk"))


class CaseRecordViewSet(ScopedViewSetMixin, ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []
    add_to_admin_menu = False


class ChildViewSet(CaseRecordViewSet):
    name = "case_children"
    url_prefix = "case-records/children"
    model = Child
    icon = "user"
    menu_label = "Children"
    list_display = ["__str__", "local_reference", "date_of_birth", "legal_status", "team", "social_worker"]
    list_filter = ["legal_status", "area", "team", "gender"]
    filterset_class = scoped_filterset(Child, list_filter, {"team": teams_for_user})
    search_fields = ["first_name", "last_name", "local_reference"]
    inspect_view_fields = [
        "first_name",
        "last_name",
        "date_of_birth",
        "gender",
        "local_reference",
        "legal_status",
        "area",
        "team",
        "social_worker",
        "iro",
    ]

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        return _children_scope(user, queryset)


class PlacementViewSet(CaseRecordViewSet):
    name = "case_placements"
    url_prefix = "case-records/placements"
    model = Placement
    icon = "home"
    menu_label = "Placements"
    list_display = [
        "child",
        "category",
        "placement_type",
        "start_date",
        "end_date",
        "ended_unplanned",
        "is_permanent",
    ]
    list_filter = [
        "category",
        "placement_type",
        "provider_code",
        "ended_unplanned",
        "is_permanent",
        "provider",
    ]
    filterset_class = scoped_filterset(Placement, list_filter, {"provider": providers_for_user})
    search_fields = ["child__first_name", "child__last_name", "child__local_reference"]

    def get_form_class(self, for_update=False):
        """Purpose and legal order are chosen from the child's pack's own lists (issue 10)."""

        return placement_vocabulary_form(super().get_form_class(for_update))

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        return _child_records_scope(user, queryset.select_related("child"))


class InvolvementViewSet(CaseRecordViewSet):
    name = "case_involvements"
    url_prefix = "case-records/involvements"
    model = Involvement
    icon = "group"
    menu_label = "Involvements"
    list_display = ["child", "user", "role", "start_date", "end_date"]
    list_filter = ["role"]
    search_fields = ["child__last_name", "child__local_reference", "user__last_name", "user__username"]

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        return _child_records_scope(user, queryset.select_related("child", "user"))


class CaseNoteViewSet(CaseRecordViewSet):
    name = "case_case_notes"
    url_prefix = "case-records/case-notes"
    model = CaseNote
    icon = "doc-full"
    menu_label = "Case notes"
    list_display = ["child", "note_type", "created_by", "created_at"]
    list_filter = ["note_type"]
    search_fields = ["child__last_name", "child__local_reference", "note_type", "body"]

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        return _child_records_scope(user, queryset.select_related("child", "created_by"))


class CarerHouseholdViewSet(CaseRecordViewSet):
    name = "case_carer_households"
    url_prefix = "case-records/carer-households"
    model = CarerHousehold
    icon = "home"
    menu_label = "Carer households"
    list_display = ["name", "kind", "local_reference", "area", "supervising_social_worker", "provider"]
    list_filter = ["kind", "area", "provider"]
    filterset_class = scoped_filterset(CarerHousehold, list_filter, {"provider": providers_for_user})
    search_fields = ["name", "local_reference"]

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        return carer_households_for_user(user, queryset)


class ProviderViewSet(CaseRecordViewSet):
    name = "case_providers"
    url_prefix = "case-records/providers"
    model = Provider
    icon = "site"
    menu_label = "Providers"
    list_display = ["name", "kind", "ofsted_urn", "contact_email"]
    list_filter = ["kind"]
    search_fields = ["name", "ofsted_urn"]

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        return providers_for_user(user, queryset)


class HomeViewSet(CaseRecordViewSet):
    name = "case_homes"
    url_prefix = "case-records/homes"
    model = Home
    icon = "home"
    menu_label = "Children's homes"
    list_display = ["name", "provider", "area", "ofsted_urn", "manager_name"]
    list_filter = ["provider", "area"]
    filterset_class = scoped_filterset(Home, list_filter, {"provider": providers_for_user})
    search_fields = ["name", "ofsted_urn"]

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        return homes_for_user(user, queryset)


class TeamViewSet(CaseRecordViewSet):
    name = "case_teams"
    url_prefix = "case-records/teams"
    model = Team
    icon = "group"
    menu_label = "Teams"
    list_display = ["name", "kind", "council_kind", "area", "manager"]
    list_filter = ["kind", "area"]
    search_fields = ["name"]

    def get_form_class(self, for_update=False):
        """The council's own team kinds to choose from (issue 10)."""

        return team_vocabulary_form(super().get_form_class(for_update))

    def scope(self, user, queryset: QuerySet) -> QuerySet:
        return teams_for_user(user, queryset)


class CaseRecordsGroup(ModelViewSetGroup):
    menu_label = "Case records"
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = (
        ChildViewSet,
        PlacementViewSet,
        InvolvementViewSet,
        CaseNoteViewSet,
        CarerHouseholdViewSet,
        ProviderViewSet,
        HomeViewSet,
        TeamViewSet,
    )


@hooks.register("register_admin_viewset")
def register_case_records() -> CaseRecordsGroup:
    return CaseRecordsGroup()
