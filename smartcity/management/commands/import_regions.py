"""manage.py import_regions: load provinces and kabupaten/kota from Kemendagri-format CSV files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from smartcity.models import Province
from smartcity.region_files import RegionFileError, read_region_files
from smartcity.services import UpsertCounts, regions_import

# How many skipped centroid codes the summary names.
NOT_FOUND_SHOWN = 10


class Command(BaseCommand):
    help = (
        "Upsert provinces (code,name) and kabupaten/kota (code,province_code,name[,kind,"
        "cohort_year,latitude,longitude]) by code, and set kabupaten/kota centroids (code,latitude,"
        "longitude, e.g. fixtures/geo/centroids.csv). All or nothing: any bad row aborts the "
        "import with its file, line and reason, and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--provinces", type=Path, help="CSV file with code,name")
        parser.add_argument(
            "--regencies", type=Path, help="CSV file with code,province_code,name[,...]"
        )
        parser.add_argument(
            "--centroids", type=Path, help="CSV file with code,latitude,longitude (kabupaten/kota)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count, write nothing"
        )

    def handle(
        self,
        *args,
        provinces: Path | None,
        regencies: Path | None,
        centroids: Path | None,
        dry_run: bool,
        **opts,
    ):
        if not provinces and not regencies and not centroids:
            raise CommandError(
                _("Give --provinces FILE, --regencies FILE, --centroids FILE, or several.")
            )
        for path in (provinces, regencies, centroids):
            if path and not path.is_file():
                raise CommandError(_("%(path)s: no such file.") % {"path": path})
        try:
            files = read_region_files(
                provinces=provinces,
                regencies=regencies,
                centroids=centroids,
                stored_province_codes=set(Province.objects.values_list("code", flat=True)),
            )
        except RegionFileError as error:
            raise CommandError(
                _("Nothing was imported:")
                + "\n"
                + "\n".join(f"  {problem}" for problem in error.problems)
            ) from error
        summary = regions_import(
            provinces=files.provinces,
            regions=files.regions,
            centroids=files.centroids,
            dry_run=dry_run,
        )
        if provinces or regencies:
            self.stdout.write(self._line(_("Provinces"), summary.provinces))
            self.stdout.write(self._line(_("Kabupaten/kota"), summary.regions))
        if centroids:
            self.stdout.write(self._line(_("Centroids"), summary.centroids))
            self._report_not_found(summary.centroid_codes_not_found)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))

    def _report_not_found(self, codes: tuple[str, ...]) -> None:
        if not codes:
            return
        shown = ", ".join(codes[:NOT_FOUND_SHOWN]) + (" …" if len(codes) > NOT_FOUND_SHOWN else "")
        self.stdout.write(
            _("%(count)d centroid codes are not stored kabupaten/kota and were skipped: %(codes)s")
            % {"count": len(codes), "codes": shown}
        )

    @staticmethod
    def _line(label: str, counts: UpsertCounts) -> str:
        return _("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "label": label,
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
        }
