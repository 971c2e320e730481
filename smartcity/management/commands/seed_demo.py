"""manage.py seed_demo: demo regions, people and assessment cycles for a local run (`make run`)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from smartcity.demo import (
    DEMO_PASSWORD,
    load_demo_cycles,
    load_demo_framework,
    load_demo_people,
    load_demo_regions,
)


class Command(BaseCommand):
    help = (
        "Load demo data (regions, the default framework, one person per role, an approved 2025 "
        "assessment of Kota Pangkal Pinang and a 2026 cycle pre-filled from it) and print the "
        "demo logins. Idempotent."
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
        load_demo_regions()
        framework = load_demo_framework()
        with translation.override("en"):
            logins = load_demo_people()
        # The demo's answers and notes are Indonesian data; service messages stay Indonesian too.
        with translation.override("id"):
            cycles = load_demo_cycles(framework)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.username:<15} {login.role:<22} {login.scope}")
        self.stdout.write(f"Framework: {framework.slug} v{framework.version} (published)")
        self.stdout.write("Cycles:")
        with translation.override("en"):
            self._write_cycles(cycles)
        self.stdout.write("Open http://127.0.0.1:8000/")
        self.stdout.write("")

    def _write_cycles(self, cycles: list) -> None:
        for cycle, created in cycles:
            statuses = ", ".join(
                f"{a.region.name} {a.get_status_display().lower()}"
                for a in cycle.assessments.select_related("region").order_by("region__code")
            )
            state = "created" if created else "already there"
            self.stdout.write(f"  {cycle.year} {cycle.title} ({state}): {statuses}")
