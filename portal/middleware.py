"""Request-wide guards for the worker site."""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from .selectors import user_is_read_only

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Paths a read-only user may still post to: signing out, and the CMS (whose own permissions are view-only).
READ_ONLY_MAY_POST = ("/logout/", "/cms/")


class ReadOnlyRolesMiddleware:
    """Auditors read every record and change none: any change they send to the worker site is refused.

    One guard for every view, so a new screen cannot forget it; screens also hide the buttons.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        user = getattr(request, "user", None)
        if (
            request.method not in SAFE_METHODS
            and user is not None
            and user.is_authenticated
            and user_is_read_only(user)
            and not request.path.startswith(READ_ONLY_MAY_POST)
        ):
            raise PermissionDenied("Your role can read every record but not change any.")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header, strict on the worker site and laxer in the CMS.

    The worker site runs no inline script or style (settings.CONTENT_SECURITY_POLICY). Wagtail's admin
    still writes inline scripts and styles, so paths under settings.CMS_URL_PREFIX get
    settings.CMS_CONTENT_SECURITY_POLICY, which differs only by allowing those.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(settings.CMS_URL_PREFIX):
            parts.config = settings.CMS_CONTENT_SECURITY_POLICY
        return parts
