"""manage.py seed_demo: every app's demo data for a local run (`make run`)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = (
        "Load demo data and print the demo logins. Runs the seeders of settings.DEMO_SEEDERS in "
        "layer order: the core's (regions, the default framework, one person per role), then "
        "each app's (e.g. an approved 2025 assessment of Kota Pangkal Pinang and a 2026 cycle "
        "pre-filled from it). Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="also when DEBUG is off (creates accounts with a published password)",
        )

    def handle(self, *args, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo accounts with a known password while DEBUG is off; "
                "pass --force if this really is a demo machine."
            )
        self.stdout.write("")
        for dotted_path in settings.DEMO_SEEDERS:
            seed = import_string(dotted_path)
            for line in seed():
                self.stdout.write(line)
        self.stdout.write("Open http://127.0.0.1:8000/")
        self.stdout.write("")
