"""Changes to people and their access: role groups (one Django group per Role) and a person's role."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import GroupPagePermission

from .choices import Role
from .models import User

# Roles whose people work in the CMS (Wagtail) as well as on the worker site.
CMS_ROLES = frozenset({Role.POLICY_OWNER, Role.AUDITOR, Role.TEAM_MANAGER, Role.ASSISTANT_TEAM_MANAGER})

ADMIN_ACCESS = ("wagtailadmin", "access_admin")

# The case record shown under "Case records" in the CMS.
CASE_RECORD_MODELS = (
    "child",
    "placement",
    "carerhousehold",
    "provider",
    "home",
    "team",
    "involvement",
    "casenote",
    "childdocument",
)


def _view(app_label: str, *models: str) -> list[tuple[str, str]]:
    return [(app_label, f"view_{model}") for model in models]


def _verbs(app_label: str, model: str, *verbs: str) -> list[tuple[str, str]]:
    return [(app_label, f"{verb}_{model}") for verb in verbs]


# Model permissions per role, as (app label, codename). Roles not listed use the worker site only.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    # Policy owners describe the procedures, packs, meeting types and forms in the CMS (SPEC intro).
    Role.POLICY_OWNER: [
        ADMIN_ACCESS,
        *_verbs("procedures", "procedurepage", "add", "change", "view"),
        *_verbs("procedures", "procedureindexpage", "add", "change", "view"),
        *_verbs("workflows", "meetingtype", "add", "change", "lock", "unlock", "view"),
        *_verbs("workflows", "procedurepack", "add", "change", "view"),
        *_verbs("workflows", "packsetting", "add", "change", "delete", "view"),
        *_verbs("workflows", "packvocabulary", "add", "change", "delete", "view"),
        *_verbs("forms_builder", "formdefinition", "add", "change", "view"),
        # Reminders: the escalation ladders and the wording of reminders (issue 13).
        *_verbs("reminders", "escalationladder", "add", "change", "delete", "view"),
        *_verbs("reminders", "messagetemplate", "add", "change", "delete", "view"),
        # Case triggers: "consider a meeting" when the case record meets a condition (issue 10).
        *_verbs("workflows", "casetrigger", "add", "change", "delete", "view"),
    ],
    # Auditors read everything and change nothing (SPEC Roles).
    Role.AUDITOR: [
        ADMIN_ACCESS,
        *_view("portal", *CASE_RECORD_MODELS),
        *_view(
            "workflows",
            "meeting",
            "meetingtransition",
            "meetingapproval",
            "invitee",
            "decision",
            "action",
            "meetingreport",
            "meetingtype",
            "procedurepack",
            "packsetting",
            "packvocabulary",
            "casetrigger",
            "considermeetingtask",
        ),
        *_view("forms_builder", "formdefinition", "formsubmission"),
        *_view("procedures", "procedurepage", "procedureindexpage"),
        *_view("dashboards", "exportlog"),
        *_view("reminders", "escalationladder", "messagetemplate"),
    ],
    # Managers look up their teams' case records in the CMS (lists there are scoped to their children).
    Role.TEAM_MANAGER: [ADMIN_ACCESS, *_view("portal", *CASE_RECORD_MODELS)],
    Role.ASSISTANT_TEAM_MANAGER: [ADMIN_ACCESS, *_view("portal", *CASE_RECORD_MODELS)],
}

# Permissions a role must never hold, removed even if an earlier version gave them: policy owners publish
# only through the "Policy change approval" workflow, where a second policy owner approves (issue 11).
ROLE_NEVER: dict[str, list[tuple[str, str]]] = {
    Role.POLICY_OWNER: [
        ("workflows", "publish_meetingtype"),
        ("forms_builder", "publish_formdefinition"),
    ],
}

# Wagtail page permissions the policy owners hold on each procedure index page (and so its procedures);
# no publish_page (see ROLE_NEVER).
POLICY_OWNER_PAGE_PERMISSIONS = ("add_page", "change_page")


def role_group_name(role: str) -> str:
    return Role(role).label


def _permissions(pairs: list[tuple[str, str]]) -> list[Permission]:
    if not pairs:
        return []
    q = Q()
    for app_label, codename in pairs:
        q |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(q))


def _procedure_index_pages() -> list:
    """The procedures' index pages, looked up by app label: case records never import the meetings app
    (issue 15), and run without it."""
    try:
        model = apps.get_model("procedures", "ProcedureIndexPage")
    except LookupError:
        return []
    return list(model.objects.all())


def role_groups_ensure() -> dict[str, Group]:
    """Create a group per Role (named by its label) and give it its permissions. Idempotent.

    Only adds, except the permissions in ROLE_NEVER, which are always taken away: a permission an
    administrator gave a group by hand in the CMS is otherwise kept. Runs after every
    migrate (portal.signals) and from `load_demo`.
    """
    groups: dict[str, Group] = {}
    with transaction.atomic():
        for role in Role:
            group, _ = Group.objects.get_or_create(name=role_group_name(role))
            wanted = _permissions(ROLE_PERMISSIONS.get(role, []))
            if wanted:
                group.permissions.add(*wanted)
            never = _permissions(ROLE_NEVER.get(role, []))
            if never:
                group.permissions.remove(*never)
            groups[role] = group
        _policy_owner_page_permissions_ensure(groups[Role.POLICY_OWNER])
    return groups


def _policy_owner_page_permissions_ensure(group: Group) -> None:

    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=POLICY_OWNER_PAGE_PERMISSIONS
        )
    )
    for index in _procedure_index_pages():
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
    GroupPagePermission.objects.filter(group=group, permission__codename="publish_page").delete()


def user_role_groups_sync(*, user: User) -> None:
    """Make the user's groups mirror their role: in their role's group, out of other role groups.

    Groups that are not role groups (made by hand in the CMS) are left alone.
    """
    role_names = {role_group_name(role) for role in Role}
    wanted = role_group_name(user.role) if user.role else None
    stale = list(user.groups.filter(name__in=role_names - {wanted}))
    if stale:
        user.groups.remove(*stale)
    if wanted:
        group, _ = Group.objects.get_or_create(name=wanted)
        user.groups.add(group)


def user_set_role(*, user: User, role: str) -> User:
    """Give a person their role: the role field, the role's group, and CMS sign-in for CMS roles."""
    role = Role(role)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.role = role
        user.is_staff = user.is_superuser or role in CMS_ROLES
        user._role_groups_synced = True  # the save signal need not sync again
        user.save(update_fields=["role", "is_staff"])
        user_role_groups_sync(user=user)
    return user
