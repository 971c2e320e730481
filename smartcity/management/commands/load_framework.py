"""manage.py load_framework: load a maturity framework version from a YAML file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.framework_files import FrameworkFileError, read_framework_file
from smartcity.services import FrameworkRefused, framework_load


class Command(BaseCommand):
    help = (
        "Validate and load a framework file (docs/framework-format.md). All or nothing: any "
        "problem is reported with its path in the file and nothing is written. Loading the same "
        "content again changes nothing; changed content under a published version is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument(
            "--publish", action="store_true", help="publish the version after loading it"
        )

    def handle(self, *args, file: Path, dry_run: bool, publish: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            spec = read_framework_file(file)
            result = framework_load(spec=spec, publish=publish, dry_run=dry_run)
        except FrameworkFileError as error:
            raise CommandError(
                f"{file}: nothing was loaded:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from error
        except FrameworkRefused as error:
            raise CommandError(f"{file}: nothing was loaded: {error}") from error
        counts = (
            f"{len(spec.pillars)} pillars, {sum(len(p.elements) for p in spec.pillars)} elements, "
            f"{len(spec.indicators())} indicators"
        )
        self.stdout.write(f"{spec.slug} version {spec.version}: {result.outcome} ({counts}).")
        if result.published_now:
            self.stdout.write("Published.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
