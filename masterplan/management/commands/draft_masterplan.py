"""manage.py draft_masterplan --assessment ID [--start-year Y] [--ceiling IDR] [--apply]."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.models import Assessment
from masterplan import selectors, services
from masterplan.models import MasterPlan, PlanStatus
from masterplan.planning import Horizon

HORIZONS = (
    (Horizon.QUICK_WIN, "Quick wins"),
    (Horizon.MEDIUM, "Medium term"),
    (Horizon.LONG, "Long term"),
)


class Command(BaseCommand):
    help = (
        "Draft the master plan of an approved assessment's region and print its items by "
        "horizon. When the region has a plan in progress, show what regenerating it from this "
        "assessment would change, and change it only with --apply (edited and manual items are "
        "kept). The same assessment and options again change nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--assessment", type=int, required=True, help="assessment id")
        parser.add_argument("--start-year", type=int, help="first year of the plan")
        parser.add_argument("--ceiling", type=int, help="yearly budget ceiling in rupiah")
        parser.add_argument("--apply", action="store_true", help="apply the regeneration")

    def handle(self, *args, assessment: int, start_year, ceiling, apply: bool, **options):
        source = (
            Assessment.objects.select_related("region", "cycle__framework")
            .filter(pk=assessment)
            .first()
        )
        if source is None:
            raise CommandError(f"Assessment {assessment} does not exist.")
        current = selectors.current_plan_of(source.region_id)
        try:
            if current is None or current.status == PlanStatus.FINAL:
                plan = services.masterplan_draft(
                    assessment=source, user=None, start_year=start_year, ceiling=ceiling
                )
                self.stdout.write(f"Drafted {plan} from assessment {source.pk}.")
                self._write_items(plan)
                return
            self._regenerate(current, source, start_year, ceiling, apply)
        except services.PlanError as error:
            raise CommandError(str(error)) from error

    def _regenerate(self, plan: MasterPlan, source, start_year, ceiling, apply: bool) -> None:
        preview = services.masterplan_regenerate_preview(
            plan=plan, assessment=source, user=None, start_year=start_year, ceiling=ceiling
        )
        if not preview.changes_anything:
            self.stdout.write(f"{plan} is already drafted from these inputs: nothing changes.")
            return
        changes = preview.regeneration
        self.stdout.write(
            f"Regenerating {plan} from assessment {source.pk}: {len(changes.added)} added, "
            f"{len(changes.removed)} removed, {len(changes.rescheduled)} rescheduled, "
            f"{len(changes.kept)} edited or manual kept, {len(changes.unchanged)} unchanged."
        )
        for item in changes.added:
            self.stdout.write(f"  + {item.key} {item.start_year}-{item.end_year}")
        for old in changes.removed:
            self.stdout.write(f"  - {old.key}")
        for old, new in changes.rescheduled:
            self.stdout.write(
                f"  ~ {old.key} {old.start_year}-{old.end_year} -> {new.start_year}-{new.end_year}"
            )
        for dependant, dependency in changes.conflicts:
            self.stdout.write(f"  ! {dependant} starts before {dependency} ends")
        if not apply:
            self.stdout.write("Nothing changed; run again with --apply to apply this.")
            return
        services.masterplan_regenerate_apply(
            plan=plan,
            assessment=source,
            user=None,
            expected_version=plan.version,
            start_year=start_year,
            ceiling=ceiling,
        )
        self.stdout.write("Applied.")
        self._write_items(plan)

    def _write_items(self, plan: MasterPlan) -> None:
        items = list(selectors.items_of(plan))
        for horizon, title in HORIZONS:
            chosen = [item for item in items if item.horizon == horizon]
            self.stdout.write(f"{title} ({len(chosen)}):")
            for item in chosen:
                self.stdout.write(
                    f"  {item.start_year}-{item.end_year}  {item.key or '(manual)'}  "
                    f"Rp{item.budget:,}  {item.title}"
                )
        for row in plan.overflow:
            self.stdout.write(f"Does not fit in ten years ({row['reason']}): {row['key']}")
