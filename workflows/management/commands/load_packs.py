"""Load every shipped procedure pack (fixtures/packs/*/pack.json). Safe to run again, in production too:
it creates what is missing and never changes published policy; a newer shipped version of a meeting
type, procedure page or form that already exists arrives as a draft for a policy owner to review."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflows.form_packs import forms_load
from workflows.packs import PackError, pack_link_procedures, pack_load
from workflows.procedures.models import ShippedVersion
from workflows.procedures.packs import procedures_load


class Command(BaseCommand):
    help = "Load the procedure packs in fixtures/packs: add what is missing, never overwrite policy."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "fixtures" / "packs"))

    def handle(self, *args, **options) -> None:
        root = Path(options["dir"])
        files = sorted(root.glob("*/pack.json"))
        if not files:
            raise CommandError(f"No packs found in {root}.")
        started = timezone.now()
        for path in files:
            try:
                pack = pack_load(path)
            except PackError as exc:
                raise CommandError(f"{path}:\n  " + "\n  ".join(exc.errors)) from exc
            self.stdout.write(f"Loaded pack {pack.slug}: {pack.meeting_types.count()} meeting type(s).")
            self._load_extras(path.parent, pack)
        self._report_drafts(started)

    def _report_drafts(self, started) -> None:
        waiting = ShippedVersion.objects.filter(pending_revision__created_at__gte=started).select_related(
            "pending_revision"
        )
        for record in waiting:
            self.stdout.write(
                f"  newer shipped version of “{record.pending_revision.object_str}” saved as a draft: "
                "a policy owner reviews it in the CMS (published policy unchanged)"
            )

    def _load_extras(self, pack_dir: Path, pack) -> None:
        """Procedure pages and forms ship in the same folder and are loaded by their own apps."""
        pages = procedures_load(pack_dir, pack)
        linked = pack_link_procedures(pack, list(pages or []))
        self.stdout.write(f"  procedures loaded for {pack.slug} ({linked} meeting type(s) linked)")
        forms_load(pack_dir)
        self.stdout.write(f"  forms loaded for {pack.slug}")
