"""Load every shipped procedure pack (fixtures/packs/*/pack.json). Safe to run again: unchanged
meeting types keep their published revision."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workflows.packs import PackError, pack_link_procedures, pack_load


class Command(BaseCommand):
    help = "Load the procedure packs in fixtures/packs (idempotent)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "fixtures" / "packs"))

    def handle(self, *args, **options) -> None:  # noqa: ANN002, ANN003
        root = Path(options["dir"])
        files = sorted(root.glob("*/pack.json"))
        if not files:
            raise CommandError(f"No packs found in {root}.")
        for path in files:
            try:
                pack = pack_load(path)
            except PackError as exc:
                raise CommandError(f"{path}:\n  " + "\n  ".join(exc.errors)) from exc
            self.stdout.write(f"Loaded pack {pack.slug}: {pack.meeting_types.count()} meeting type(s).")
            self._load_extras(path.parent, pack)

    def _load_extras(self, pack_dir: Path, pack) -> None:  # noqa: ANN001
        """Procedure pages and forms ship in the same folder and are loaded by their own apps."""
        try:
            from workflows.procedures.packs import procedures_load
        except ImportError:
            procedures_load = None
        if procedures_load is not None:
            pages = procedures_load(pack_dir, pack)
            linked = pack_link_procedures(pack, list(pages or []))
            self.stdout.write(f"  procedures loaded for {pack.slug} ({linked} meeting type(s) linked)")
        try:
            from forms_builder.packs import forms_load
        except ImportError:
            forms_load = None
        if forms_load is not None:
            forms_load(pack_dir)
            self.stdout.write(f"  forms loaded for {pack.slug}")
