"""manage.py export_scores --cycle ID [--out FILE]."""

import csv

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.analysis_frames import EXPORT_COLUMNS, score_export_rows
from assessments.models import Cycle
from smartcity.spreadsheets import safe_cell_value


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return safe_cell_value(value)


class Command(BaseCommand):
    help = (
        "Write a cycle's score rows (final reports) as CSV, one row per region, scope and code: "
        + ",".join(EXPORT_COLUMNS)
        + ". To standard output, or to --out FILE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", type=int, required=True, help="cycle id")
        parser.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args, cycle: int, out: str | None, **options) -> None:
        if not Cycle.objects.filter(pk=cycle).exists():
            raise CommandError(f"Cycle {cycle} does not exist.")
        rows = score_export_rows(cycle)
        if out:
            with open(out, "w", newline="", encoding="utf-8") as target:
                self._write(target, rows)
            self.stderr.write(f"{len(rows)} rows written to {out}.")
        else:
            self._write(self.stdout, rows)

    def _write(self, target, rows: list[tuple]) -> None:
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows([_cell(value) for value in row] for row in rows)
