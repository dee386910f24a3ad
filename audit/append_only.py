"""History and approval rows can be added, never changed or deleted (G7).

Two layers, so neither a careless query nor raw SQL gets through:

- In Django: saving an existing row or deleting one (directly, through a queryset or by a cascade)
  raises `PermissionError` before any SQL is sent.
- In the database: a trigger on each table refuses UPDATE and DELETE. On PostgreSQL a row trigger
  (BEFORE UPDATE OR DELETE) raises a `restrict_violation`; TRUNCATE, which the test runner uses to
  empty tables, is not a row operation and still works. On SQLite the trigger refuses UPDATE only:
  Django's SQLite test flush empties tables with DELETE, so DELETE is refused there by the Django
  layer alone.

The triggers are (re)installed after every `migrate` (idempotent), because SQLite drops a table's
triggers whenever a migration rebuilds the table, and because every new history table must get one.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.models.signals import pre_delete, pre_save
from simple_history.models import HistoricalChanges, HistoricalRecords

# Tables whose rows are history. Every django-simple-history table is added automatically.
APPEND_ONLY = [
    "workflows.MeetingTransition",
    "workflows.MeetingApproval",
    "workflows.ActionStatusChange",
    "workflows.LookedAfterReview",
    "workflows.FiledDocument",
    "dashboards.ExportLog",
]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Rows of % are history: they cannot be changed or deleted (% refused).',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
"""
TRIGGER = "append_only"


def append_only_models() -> list[type[models.Model]]:

    found = [apps.get_model(label) for label in APPEND_ONLY if _installed(label)]
    found += [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]
    found += list(HistoricalRecords.m2m_models.values())  # e.g. who could edit a form, per history row
    return list(dict.fromkeys(found))


def _installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def _refuse_change(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not instance._state.adding:
        raise PermissionError(
            f"{sender._meta.verbose_name_plural.capitalize()} are history: they cannot be changed."
        )


def _refuse_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    raise PermissionError(
        f"{sender._meta.verbose_name_plural.capitalize()} are history: they cannot be deleted."
    )


def guards_connect() -> None:
    for model in append_only_models():
        uid = f"audit.append_only.{model._meta.label}"
        pre_save.connect(_refuse_change, sender=model, dispatch_uid=f"{uid}.save", weak=False)
        pre_delete.connect(_refuse_delete, sender=model, dispatch_uid=f"{uid}.delete", weak=False)


def _sqlite_trigger_name(table: str) -> str:
    return f"{TRIGGER}_{table}"


def protected_tables(using: str = "default") -> set[str]:
    """Tables that carry the append-only trigger in this database (tests and `check` read it)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
            return {name.strip('"') for (name,) in cursor.fetchall()}
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TRIGGER}_%"]
            )
            return {name for (name,) in cursor.fetchall()}
    return set()


def triggers_ensure(using: str = "default", **kwargs: Any) -> None:
    """Install the append-only trigger on every history table that lacks it (post_migrate)."""
    connection = connections[using]
    if connection.vendor not in {"postgresql", "sqlite"}:
        return
    existing_tables = set(connection.introspection.table_names())
    tables = [m._meta.db_table for m in append_only_models() if m._meta.db_table in existing_tables]
    missing = [t for t in tables if t not in protected_tables(using)]
    if not missing:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
            for table in missing:
                cursor.execute(
                    f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {quote(table)} "
                    "FOR EACH ROW EXECUTE FUNCTION portal_refuse_history_change()"
                )
        else:
            for table in missing:
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {quote(_sqlite_trigger_name(table))} "
                    f"BEFORE UPDATE ON {quote(table)} BEGIN "
                    f"SELECT RAISE(ABORT, 'Rows of {table} are history: they cannot be changed.'); END"
                )
