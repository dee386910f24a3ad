from django.conf import settings
from django.urls import NoReverseMatch, reverse

from .choices import DASHBOARD_ROLES, Role
from .selectors import user_is_read_only
from .vocabulary import vocabulary

# (label, URL name, roles that see it; empty = every signed-in worker)
NAV = [
    ("Meetings", "workflows:meeting_list", ()),
    (
        "Approvals",
        "workflows:approval_queue",
        (Role.TEAM_MANAGER, Role.ASSISTANT_TEAM_MANAGER, Role.BUYER, Role.QUALITY_REVIEW_MANAGER),
    ),
    ("My {actions}", "workflows:my_actions", ()),
    ("My drafts", "forms_builder:drafts", ()),
    ("Dashboards", "dashboards:meetings", DASHBOARD_ROLES),
]


def _nav_for(user, path: str, request=None) -> list[dict]:
    items = []
    for label, name, roles in NAV:
        if roles and user.role not in roles and not user.is_superuser:
            continue
        if "{" in label:  # a renamable word: the council's own term (issue 10)
            label = label.format(**_terms(request))
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": False})
    matches = [item for item in items if path.startswith(item["url"])]
    if matches:  # the most specific entry only: /meetings/approvals/ is Approvals, not Meetings
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return items


def _terms(request) -> dict[str, str]:
    """The installation's pack's terms, once per request (shared with `{% term %}`)."""
    cache = getattr(request, "_portal_terms", None)
    if cache is None:
        cache = request._portal_terms = {}
    if "default" not in cache:
        cache["default"] = vocabulary().terms()
    return cache["default"]


def portal(request):
    """Site-wide values every worker template needs: the council's name and the worker's menu."""
    user = getattr(request, "user", None)
    nav = _nav_for(user, request.path, request) if user is not None and user.is_authenticated else []
    read_only = bool(user is not None and user.is_authenticated and user_is_read_only(user))
    return {"council_name": settings.PORTAL_COUNCIL_NAME, "nav_extra": nav, "read_only": read_only}
