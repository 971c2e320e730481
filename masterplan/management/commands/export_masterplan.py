"""manage.py export_masterplan --plan ID --format pdf|docx|xlsx [--lang id|en] [--book B]
--out FILE."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from masterplan.exports import services
from masterplan.exports.models import ExportKind, ExportPart
from masterplan.models import MasterPlan


class Command(BaseCommand):
    help = (
        "Write a master plan's PDF book, DOCX book or XLSX workbook to a file, as the export "
        "job does (in this process, without the worker). Charts that cannot be drawn are "
        "replaced by their tables, with a warning."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="master plan id")
        parser.add_argument("--format", choices=ExportKind.values, required=True)
        parser.add_argument("--lang", choices=services.LANGUAGES, default="id")
        parser.add_argument("--book", choices=ExportPart.values, default=ExportPart.ALL)
        parser.add_argument("--out", type=Path, required=True, help="file to write")

    def handle(self, *args, plan: int, format: str, lang: str, book: str, out: Path, **options):
        found = MasterPlan.objects.select_related("region", "assessment__cycle").filter(pk=plan)
        if not found:
            raise CommandError(f"Master plan {plan} does not exist.")
        data, note = services.export_render(found[0], kind=format, part=book, language=lang)
        try:
            out.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from error
        if note:
            self.stderr.write(gettext(note))
        self.stdout.write(f"Wrote {out} ({len(data)} bytes).")
