"""Rebuild the access table from the case record and report any difference (the nightly check)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.access import access_rebuild


class Command(BaseCommand):
    help = (
        "Recompute who may see which child from the case record, report how many rows of the access "
        "table were missing or extra, and repair them."
    )

    def handle(self, *args, **options) -> None:
        diff = access_rebuild()
        message = (
            f"Access table: checked {diff.children:,} children; "
            f"{diff.missing:,} missing, {diff.extra:,} extra rows"
        )
        if diff:
            self.stdout.write(self.style.WARNING(message + " (repaired)."))
        else:
            self.stdout.write(self.style.SUCCESS(message + "."))
