"""Write a pack's published policies to a file another installation can import (.json, .yaml or .yml)."""

from django.core.management.base import BaseCommand, CommandError

from workflows.models import ProcedurePack
from workflows.packs import pack_export, pack_write


class Command(BaseCommand):
    help = "Export a procedure pack to a JSON or YAML file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file")

    def handle(self, *args, **options) -> None:
        try:
            pack = ProcedurePack.objects.get(slug=options["slug"])
        except ProcedurePack.DoesNotExist as exc:
            raise CommandError(f"There is no pack called {options['slug']}.") from exc
        pack_write(pack_export(pack), options["file"])
        self.stdout.write(f"Exported {pack.slug} to {options['file']}.")
