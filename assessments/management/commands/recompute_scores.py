"""manage.py recompute_scores --cycle ID [--dry-run]."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from assessments import services
from assessments.models import Cycle, CycleScoresJob
from smartcity import jobs


class Command(BaseCommand):
    help = (
        "Recompute every approved assessment of a cycle in one pass, in this process: new final "
        "reports, their score rows replacing the old ones, and every peer figure. --dry-run "
        "computes and prints the summary without writing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cycle", type=int, required=True, help="cycle id")
        parser.add_argument("--dry-run", action="store_true", help="compute, write nothing")

    def handle(self, *args, cycle: int, dry_run: bool, **options) -> None:
        chosen = Cycle.objects.select_related("framework").filter(pk=cycle).first()
        if chosen is None:
            raise CommandError(f"Cycle {cycle} does not exist.")
        if dry_run:
            computed, _frame = services.cycle_scores_compute(chosen)
            self._summary(chosen, services.summary_of(computed), written=False)
            return
        with transaction.atomic():
            job = CycleScoresJob.objects.create(cycle=chosen)
            computed, frame = services.cycle_scores_compute(chosen)
            written = services.cycle_scores_write(chosen, computed, frame, user_id=None)
            jobs.job_finish(
                job=job, results={"reports": len(computed.figures), "snapshots": written}
            )
        self._summary(chosen, services.summary_of(computed), written=True)

    def _summary(self, cycle: Cycle, summary: services.CycleSummary, *, written: bool) -> None:
        verb = "Recomputed" if written else "Would recompute (dry run, nothing written)"
        self.stdout.write(
            f"{verb}: {cycle} — {summary.assessments} approved assessments, "
            f"{summary.snapshots} score rows."
        )
        for name, counts in (("Level basis", summary.basis), ("Predikat", summary.predikat)):
            listed = ", ".join(f"{key} {count}" for key, count in sorted(counts.items()))
            self.stdout.write(f"  {name}: {listed or '-'}")
