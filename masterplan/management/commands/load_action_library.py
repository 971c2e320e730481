"""manage.py load_action_library FILE [--dry-run]: validate an action library and store it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from masterplan.library_files import LibraryFileError, parse_library_document
from masterplan.selectors import framework_scope_of
from masterplan.services import WrongState, action_library_load
from smartcity.framework_files import FrameworkFileError, load_yaml, read_text
from smartcity.models import Framework


class DryRun(Exception):
    """Rolls the dry run's transaction back."""


class Command(BaseCommand):
    help = (
        "Validate an action library file (docs/action-library-format.md) against the stored "
        "framework version it names and load it; all or nothing, every problem listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            text = read_text(file)
            header = load_yaml(text)
        except FrameworkFileError as error:
            raise CommandError(self._problems(file, error.problems)) from error
        framework = self._framework(file, header)
        try:
            spec = parse_library_document(header, framework_scope_of(framework))
        except LibraryFileError as error:
            raise CommandError(self._problems(file, error.problems)) from error
        try:
            with transaction.atomic():
                load = action_library_load(spec=spec, framework=framework)
                if dry_run:
                    raise DryRun
        except DryRun:
            verb = "would load" if load.created else "is already loaded, unchanged:"
            self.stdout.write(
                f"Dry run: {file} is valid; {verb} library v{spec.version} for "
                f"{framework.slug} v{framework.version} ({len(spec.actions)} actions). "
                "Nothing written."
            )
            return
        except WrongState as error:
            raise CommandError(str(error)) from error
        state = "loaded" if load.created else "already loaded, unchanged"
        self.stdout.write(
            f"Library v{spec.version} for {framework.slug} v{framework.version}: {state} "
            f"({len(spec.actions)} actions)."
        )

    def _framework(self, file: Path, header) -> Framework:
        served = header.get("framework") if isinstance(header, dict) else None
        if not isinstance(served, dict) or not {"slug", "version"} <= served.keys():
            raise CommandError(self._problems(file, ["framework: give {slug: ..., version: ...}"]))
        framework = Framework.objects.filter(slug=served["slug"], version=served["version"]).first()
        if framework is None:
            raise CommandError(
                self._problems(
                    file,
                    [
                        f"framework: {served['slug']} v{served['version']} is not loaded; "
                        "load the framework file first (load_framework)"
                    ],
                )
            )
        return framework

    @staticmethod
    def _problems(file: Path, problems: list) -> str:
        lines = [f"{file}: not loaded, {len(problems)} problem(s):"]
        lines += [f"  - {problem}" for problem in problems]  # FrameworkProblem or text
        return "\n".join(lines)
