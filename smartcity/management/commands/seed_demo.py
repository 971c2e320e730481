"""manage.py seed_demo: demo regions and people for a local run (`make run`)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from smartcity.demo import (
    DEMO_PASSWORD,
    load_demo_framework,
    load_demo_people,
    load_demo_regions,
)


class Command(BaseCommand):
    help = (
        "Load demo data (regions, the default framework, one person per role) and print the "
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
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.username:<15} {login.role:<22} {login.scope}")
        self.stdout.write(f"Framework: {framework.slug} v{framework.version} (published)")
        self.stdout.write("Open http://127.0.0.1:8000/")
        self.stdout.write("")
