"""Import a pack file (.json, .yaml or .yml). It is checked first; every problem is listed with its path."""

from django.core.management.base import BaseCommand, CommandError

from workflows.packs import PackError, pack_load


class Command(BaseCommand):
    help = "Import a procedure pack from a JSON or YAML file, after validating it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, **options) -> None:
        try:
            pack = pack_load(options["file"])
        except (PackError, OSError) as exc:
            errors = exc.errors if isinstance(exc, PackError) else [str(exc)]
            raise CommandError("The pack was not imported:\n  " + "\n  ".join(errors)) from exc
        self.stdout.write(f"Imported pack {pack.slug}: {pack.meeting_types.count()} meeting type(s).")
