"""The ministry dashboards: progress and maturity per cycle, maps and one region across cycles."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _forget_figures(sender, **kwargs) -> None:
    from dashboards.cache import invalidate

    invalidate()


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from assessments.models import (
            Assessment,
            AssessmentEvent,
            Cycle,
            CycleOpeningJob,
            GapReport,
        )
        from assessments.signals import scores_replaced
        from evaluations.models import EvaluationLetter, EvaluationRound, RegionEvaluation
        from evaluations.signals import results_computed
        from smartcity.models import Province, Region

        # What the dashboards read. Statuses change with a save or with an event (a review that
        # starts updates the row in place and records the event); snapshot sets are replaced
        # in bulk, which `scores_replaced` announces; cycle openings with their job.
        watched = (
            Assessment, AssessmentEvent, GapReport, Cycle, CycleOpeningJob,
            Region, Province, EvaluationRound, RegionEvaluation, EvaluationLetter,
        )  # fmt: skip
        for model in watched:
            uid = f"dashboards-cache-{model.__name__}"
            post_save.connect(_forget_figures, sender=model, dispatch_uid=uid)
            post_delete.connect(_forget_figures, sender=model, dispatch_uid=uid)
        results_computed.connect(_forget_figures, dispatch_uid="dashboards-cache-results")
        scores_replaced.connect(_forget_figures, dispatch_uid="dashboards-cache-scores")
