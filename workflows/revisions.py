"""Published revisions, parsed once per process (issue 12: the meeting page parsed the same policy and
procedure revisions on every request, six queries and a JSON parse each).

A Wagtail revision row never changes once written, so the object it holds (`revision.as_object()`)
is kept, keyed by the revision's id and creation time (a test database may hand an id out again).
The cache is bounded; callers treat what they get as read-only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from wagtail.models import Revision

KEPT = 256
_parsed: dict[tuple[int, datetime], Any] = {}


def _keep(revision: Revision) -> Any:
    if len(_parsed) >= KEPT:
        _parsed.clear()
    parsed = _parsed[(revision.pk, revision.created_at)] = revision.as_object()
    return parsed


def parsed_revision(revision: Revision) -> Any:
    """The object a revision holds, parsed at most once per process."""
    found = _parsed.get((revision.pk, revision.created_at))
    return found if found is not None else _keep(revision)


def parsed_revisions(keys: Iterable[tuple[int, datetime]]) -> dict[tuple[int, datetime], Any]:
    """The objects of these (revision id, created at) pairs; reads only the revisions not kept yet."""
    keys = set(keys)
    missing = {pk for pk, created in keys if (pk, created) not in _parsed}
    if missing:
        for revision in Revision.objects.filter(pk__in=missing):
            _keep(revision)
    return {key: _parsed[key] for key in keys}
