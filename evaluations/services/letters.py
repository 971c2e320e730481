"""The result letter: requested by a person, rendered by the worker as a PDF with WeasyPrint."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evaluations import selectors
from evaluations.models import EvaluationLetter, RegionEvaluation
from evaluations.pages import pillar_names, result_of
from evaluations.services.errors import WrongState
from smartcity import access, jobs
from smartcity.models import User

LANGUAGES = ("id", "en")
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


@transaction.atomic
def letter_request(
    *, evaluation: RegionEvaluation, user: User, language: str = "id"
) -> EvaluationLetter:
    """Queue the letter of a final evaluation (Indonesian unless English is asked for)."""
    if not access.can_view_region(user, evaluation.region):
        raise WrongState(_("This evaluation is not yours to export."))
    if not evaluation.is_final:
        raise WrongState(_("The letter is sent once the evaluation is final."))
    letter = EvaluationLetter.objects.create(
        evaluation=evaluation,
        language=language if language in LANGUAGES else "id",
        requested_by=user,
    )
    jobs.enqueue_on_commit(EvaluationLetter.task_name, letter.pk)
    return letter


def letter_html(letter: EvaluationLetter) -> str:
    evaluation = (
        RegionEvaluation.objects.select_related("round", "region__province")
        .prefetch_related("round__dimensions", "judgements", "recommendations")
        .get(pk=letter.evaluation_id)
    )
    with translation.override(letter.language):
        result = result_of(
            evaluation, pillar_names(evaluation), selectors.previous_evaluation(evaluation)
        )
        return render_to_string(
            "evaluations/letter.html",
            {
                "result": result,
                "evaluation": evaluation,
                "recommendations": list(evaluation.recommendations.all()),
                "today": timezone.localdate(),
                "LANGUAGE_CODE": letter.language,
            },
        )


def letter_render(letter: EvaluationLetter) -> dict:
    """The job's work: the letter as PDF bytes, stored with the job."""
    from weasyprint import HTML  # imported by the worker only: it loads Pango

    jobs.job_progress(job=letter, percent=20, step=gettext_noop("Writing the letter"))
    pdf = HTML(string=letter_html(letter)).write_pdf()
    letter.file.save("letter.pdf", ContentFile(pdf), save=False)
    return {"file": letter.file.name}
