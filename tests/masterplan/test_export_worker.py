"""The export job through the broker in the real worker (PostgreSQL and Redis; see .ci/run):
the worker draws the charts with its own kaleido server and stores the PDF."""

import time

import pytest

from masterplan import services as plan_services
from masterplan.exports import services
from masterplan.exports.models import ExportJob, ExportKind
from smartcity.jobs import JobStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_exports_the_pdf_book_with_its_charts(celery_worker, approved, official):
    plan = plan_services.masterplan_draft(assessment=approved, user=official, start_year=2027)
    job = services.export_request(plan=plan, user=official, kind=ExportKind.PDF, language="id")
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.is_active:
            break
        time.sleep(1)
    assert job.status == JobStatus.DONE, job.error
    assert job.chart_note == "" and job.size > 10_000 and job.attempts == 1
    assert job.file.name.endswith(".pdf")
    again = services.export_request(plan=plan, user=official, kind=ExportKind.PDF, language="id")
    assert again.pk == job.pk and ExportJob.objects.count() == 1
