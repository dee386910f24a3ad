"""Paging long lists at a large council's size (issue 12).

- The order always ends with the id, so rows sharing a date (or a name) keep one place between
  requests: none repeats on the next page and none goes missing.
- The count stops at COUNT_CAP ("10,000+"): counting every visible row of a big scope costs more than
  the page itself, and nobody pages through 400 pages (they filter).
- A page reads its 25 ids first (from the indexes, no related rows), then only those rows with their
  related data, instead of joining every related table for every row the database sorts.
- A scope written as `pk IN (branch UNION ALL branch ...)` (workflows.selectors: one index lookup per
  way a user reaches a row) is paged inside the branches: each branch carries the sort key with the
  id from its covering index, with the list's other filters, and the UNION of them is sorted and cut
  to the page. The database no longer looks up every visible row by id to sort it (the manager's
  actions page: 40,000 lookups for 25 rows). Where the database allows it (PostgreSQL), each branch is
  sorted and cut to the page's end itself, so the UNION dedupes and sorts at most that many rows a
  branch, not every visible one: a row in the page is in its own branch's first rows, because the
  order is total (it ends with the id) and the same in every branch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.lookups import In
from django.db.models.sql.where import AND, WhereNode
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def ordered_to_the_row(queryset: QuerySet) -> QuerySet:
    """The queryset's order (or its model's default order) with the id last, as the final tie-break."""
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    last = order[-1] if order else None
    if not (isinstance(last, str) and last.lstrip("-") in {"pk", "id"}):
        order.append("pk")
    return queryset.order_by(*order)


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> int:
    """How many rows, counting no further than cap + 1 (so callers can say "10,000+")."""
    return queryset.order_by().values("pk")[: cap + 1].count()


def _union_scope(queryset: QuerySet) -> tuple[QuerySet, list] | None:
    """(the queryset without its `pk IN (UNION ALL ...)` scope, the scope's branch queries), or None
    when the queryset has no such scope at the top of its filters."""
    where = queryset.query.where
    if where.connector != AND or where.negated:
        return None
    pk = queryset.model._meta.pk
    for node in where.children:
        rhs = getattr(node, "rhs", None)
        query = getattr(rhs, "query", rhs)
        if (
            isinstance(node, In)
            and getattr(node.lhs, "target", None) == pk
            and getattr(query, "combinator", None) == "union"
            and getattr(query, "combinator_all", False)
            and all(q.model is queryset.model for q in query.combined_queries)
        ):
            rest = queryset._chain()
            rest.query.where = WhereNode([c for c in where.children if c is not node], AND)
            return rest, list(query.combined_queries)
    return None


def page_ids(queryset: QuerySet, start: int, stop: int) -> list[int]:
    ordered = ordered_to_the_row(queryset)
    order = list(ordered.query.order_by)
    scope = _union_scope(ordered)
    plain = all(isinstance(f, str) and "__" not in f and "." not in f for f in order)
    if scope is None or not plain or queryset.query.distinct or len(scope[1]) < 2:
        return list(ordered.values_list("pk", flat=True)[start:stop])
    if stop is not None and stop <= start:
        return []  # an empty page (an empty list's): slicing to nothing makes an EmptyQuerySet
    rest, branches = scope
    fields = list(dict.fromkeys(f.lstrip("-") for f in order))
    table = rest.model._meta.db_table
    cut_each = connections[queryset.db].features.supports_slicing_ordering_in_compound
    pages = []
    for branch in branches:
        base = branch.get_initial_alias()  # a subquery's aliases were renamed (V0): back to the table
        if any(branch.alias_refcount.get(a) for a in branch.alias_map if a != base):
            return list(ordered.values_list("pk", flat=True)[start:stop])  # a join: the plain way
        each = rest.order_by()
        each.query.where.add(branch.where.relabeled_clone({base: table}), AND)
        if not each.query.is_empty():  # a branch the list's filters rule out (Django's EmptyQuerySet)
            pages.append(each.values_list(*fields))
    if len(pages) < 2:  # union() hands back a lone non-empty branch as it is: sort and cut it here
        rows = pages[0].order_by(*order)[start:stop] if pages else []
    else:
        if cut_each and stop is not None:
            pages = [page.order_by(*order)[:stop] for page in pages]
        first, *others = pages
        rows = first.union(*others).order_by(*order)[start:stop]  # UNION: a row reached twice, once
    return [row[fields.index("pk")] for row in rows]


def rows_for_ids(queryset: QuerySet, ids: Sequence[int]) -> list[Model]:
    """The rows with these ids, with the queryset's related rows and annotations, in the ids' order.

    The ids came from the filtered, user-scoped query, so its filters are not run again here.
    """
    if not ids:
        return []
    fetch = queryset._chain()
    fetch.query.clear_where()
    fetch.query.clear_ordering(force=True)
    fetch.query.clear_limits()
    by_pk = {row.pk: row for row in fetch.filter(pk__in=list(ids))}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def count_label(count: int, capped: bool) -> str:
    return f"{count:,}+" if capped else f"{count:,}"


class IdsFirstPaginator(Paginator):
    """Django's paginator over a queryset, with the three rules above."""

    def __init__(self, object_list: QuerySet, per_page: int, **kwargs: Any) -> None:
        super().__init__(ordered_to_the_row(object_list), per_page, **kwargs)
        self.capped = False

    @cached_property
    def count(self) -> int:
        counted = capped_count(self.object_list)
        self.capped = counted > COUNT_CAP
        return min(counted, COUNT_CAP)

    @property
    def count_label(self) -> str:
        return count_label(self.count, self.capped)

    def page(self, number: Any):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count  # the last page stops at the cap too
        ids = page_ids(self.object_list, bottom, top)
        return self._get_page(rows_for_ids(self.object_list, ids), number, self)
