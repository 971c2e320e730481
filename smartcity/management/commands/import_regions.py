"""manage.py import_regions: load provinces and kabupaten/kota from Kemendagri-format CSV files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from smartcity.models import Province
from smartcity.region_files import RegionFileError, read_region_files
from smartcity.services import UpsertCounts, regions_import


class Command(BaseCommand):
    help = (
        "Upsert provinces (code,name) and kabupaten/kota (code,province_code,name[,kind,"
        "cohort_year,latitude,longitude]) by code. All or nothing: any bad row aborts the import "
        "with its file, line and reason, and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", type=Path, help="CSV file with code,name")
        parser.add_argument(
            "--regencies", type=Path, help="CSV file with code,province_code,name[,...]"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count, write nothing"
        )

    def handle(self, *args, provinces: Path | None, regencies: Path | None, dry_run: bool, **opts):
        if not provinces and not regencies:
            raise CommandError(_("Give --provinces FILE, --regencies FILE, or both."))
        for path in (provinces, regencies):
            if path and not path.is_file():
                raise CommandError(_("%(path)s: no such file.") % {"path": path})
        try:
            province_rows, region_rows = read_region_files(
                provinces=provinces,
                regencies=regencies,
                stored_province_codes=set(Province.objects.values_list("code", flat=True)),
            )
        except RegionFileError as error:
            raise CommandError(
                _("Nothing was imported:")
                + "\n"
                + "\n".join(f"  {problem}" for problem in error.problems)
            ) from error
        summary = regions_import(provinces=province_rows, regions=region_rows, dry_run=dry_run)
        self.stdout.write(self._line(_("Provinces"), summary.provinces))
        self.stdout.write(self._line(_("Kabupaten/kota"), summary.regions))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))

    @staticmethod
    def _line(label: str, counts: UpsertCounts) -> str:
        return _("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "label": label,
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
        }
