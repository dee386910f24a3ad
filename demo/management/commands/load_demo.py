"""Load the fictional Harrowvale County Council demo: staff for every role, carers, providers, homes and
forty children with placement histories. Idempotent; refuses to run unless DEBUG is on (or --force)."""

import logging
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import people
from demo.loader import demo_load
from portal.choices import Role
from portal.models import CarerHousehold, Child, Home, Involvement, Placement, Provider, Team, User


class Command(BaseCommand):
    help = "Load the fictional demo authority (idempotent). Refuses to run unless DEBUG is on, or --force."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (never on live data)."
        )
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help="Print one sign-in for each job in the demo (all share one password).",
        )
        parser.add_argument(
            "--no-meetings",
            action="store_true",
            help="Don't add the demo meetings (they need the packs: manage.py load_packs).",
        )
        parser.add_argument("--today", type=date.fromisoformat, help="Pretend today is YYYY-MM-DD.")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000"),
            help="Where the portal runs, for the printed sign-in address.",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "load_demo creates fictional staff who share a published password, so it runs only with "
                "DEBUG on. Use --force to load it anyway (never into a database with real records)."
            )
        # The demo's meetings queue their notifications; one "Enqueued" line each would bury the logins.
        queue_log = logging.getLogger("django-q")
        level = queue_log.level
        queue_log.setLevel(logging.WARNING)
        try:
            result = demo_load(today=options["today"], with_meetings=not options["no_meetings"])
        finally:
            queue_log.setLevel(level)
        if result.changed:
            parts = [f"{n} {what} created" for what, n in sorted(result.created.items())]
            parts += [f"{n} {what} updated" for what, n in sorted(result.updated.items())]
            parts += [f"{n} {what} deleted" for what, n in sorted(result.deleted.items())]
            self.stdout.write("Demo loaded: " + "; ".join(parts) + ".")
        else:
            self.stdout.write("Demo already up to date: nothing changed.")
        self.stdout.write(
            f"{people.COUNCIL_NAME}: {Team.objects.count()} teams, {User.objects.count()} staff, "
            f"{Provider.objects.count()} providers, {Home.objects.count()} homes, "
            f"{CarerHousehold.objects.count()} carer households, {Child.objects.count()} children, "
            f"{Placement.objects.count()} placements, {Involvement.objects.count()} involvements."
        )
        for line in result.meetings:
            self.stdout.write(f"  meeting: {line}")
        if options["print_logins"]:
            self._print_logins(options["base_url"].rstrip("/"))

    def _print_logins(self, base_url: str) -> None:
        header = ("Role", "Job", "Username", "Password")
        rows = [
            (Role(role).label, title, username, people.DEMO_PASSWORD)
            for role, title, username in people.logins_to_show()
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) + 2 for i in range(4)]
        self.stdout.write("")
        for row in [header, tuple("-" * (w - 2) for w in widths), *rows]:
            self.stdout.write("".join(f"{cell:<{w}}" for cell, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("")
        self.stdout.write(f"Sign in at {base_url}/login/ (the CMS is at {base_url}/cms/).")
        self.stdout.write(
            "More people with most of these jobs exist (social-worker-2 ... -7, iro-2 ... -4, "
            "team-manager-2 ... -4), all with the same password."
        )
