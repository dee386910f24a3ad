"""The one check for a "next" or "back" address taken from a request (issue 15): only a page of this
site, with Django's url_has_allowed_host_and_scheme, never an address elsewhere (open redirect)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, url: str | None, default: str = "") -> str:
    """``url`` when it points at this site (same host, and https when the request is), else ``default``."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default
