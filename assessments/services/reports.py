"""Gap-analysis reports: asking for one, building it, and recomputing a whole cycle.

Both builds run the same vectorised computation (`_compute`) over a frame of one assessment or of
a cycle's approved assessments, then write the reports and replace the assessments' ScoreSnapshot
sets in bulk. They run inside the job's transaction (`jobs.run_job`), so a build that stops half
way leaves the previous report and snapshot rows as they were.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments import analysis_frames as frames
from assessments.analysis import (
    assessment_basis,
    consistency_checks,
    peer_medians,
    peer_positions,
    score_tables,
    self_versus_verified,
    snapshot_rows_of,
    top_gaps,
    top_strengths,
    trend,
)
from assessments.analysis import frame as f
from assessments.analysis.peers import (
    COHORT,
    GROUP,
    GROUP_KEY,
    GROUPS,
    MEDIAN,
    PERCENTILE,
    PROVINCE,
    QUARTILE,
)
from assessments.analysis.priorities import PRIORITY
from assessments.analysis.trend import CHANGE, EARLIER_CYCLE, NORMALISED, PREVIOUS
from assessments.models import (
    REVIEWABLE_STATUSES,
    Assessment,
    AssessmentStatus,
    Cycle,
    CycleScoresJob,
    GapReport,
    ScoreSnapshot,
)
from assessments.services.errors import WrongState
from assessments.signals import scores_replaced
from smartcity import access, jobs
from smartcity.bulk import insert_rows, insert_rows_returning_ids
from smartcity.models import User

REPORTABLE_STATUSES = (*REVIEWABLE_STATUSES, AssessmentStatus.APPROVED)
BUILDING_STEP = gettext_noop("Computing scores, gaps and trends")
RECOMPUTE_STEP = gettext_noop("Recomputing the cycle's scores")
NOT_REPORTABLE = gettext_noop(
    "A report needs a submitted, reviewed or approved assessment; this one was sent back or "
    "reopened since the report was asked for."
)


# --- Who may ask, and asking -------------------------------------------------------------------
def report_refusal(assessment: Assessment, user: User) -> str | None:
    """Why `user` may not ask for a report of `assessment` (None: they may): the region's
    officials and its facilitators, once the assessment is submitted."""
    if not (
        access.can_edit_region(user, assessment.region)
        or access.can_review_region(user, assessment.region)
    ):
        return _("Only the region's officials and its facilitators build its report.")
    if assessment.status not in REPORTABLE_STATUSES:
        return _("A report can be built once the assessment is submitted.")
    return None


def _kind(final: bool) -> str:
    return "final" if final else "preliminary"


def inputs_hashes(frame: pd.DataFrame, *, framework_id: int, final: pd.Series) -> pd.Series:
    """The inputs hash of every assessment in a response frame: its responses as computed on
    (order-independent row hashes), its framework and whether the report is final."""
    rows = pd.util.hash_pandas_object(frame.loc[:, list(f.COLUMNS)], index=False)
    sums = rows.groupby(frame[f.ASSESSMENT].to_numpy()).sum()
    return pd.Series(
        [
            hashlib.sha256(
                f"{framework_id}:{_kind(final.get(pk, False))}:{value}".encode()
            ).hexdigest()
            for pk, value in sums.items()
        ],
        index=sums.index,
    )


@transaction.atomic
def gap_report_request(*, assessment: Assessment, user: User) -> GapReport:
    """Ask for `assessment`'s report: preliminary while submitted or in review, final once
    approved. A finished report of the same inputs is reused, as is one already under way;
    otherwise a new report is queued (its task runs after the commit)."""
    refusal = report_refusal(assessment, user)
    if refusal:
        raise WrongState(refusal)
    approved = assessment.status == AssessmentStatus.APPROVED
    frame = frames.response_frame(Q(pk=assessment.pk))
    inputs_hash = inputs_hashes(
        frame,
        framework_id=assessment.cycle.framework_id,
        final=pd.Series({assessment.pk: approved}),
    ).get(assessment.pk, "")
    reports = GapReport.objects.filter(assessment=assessment)
    existing = (
        reports.filter(status__in=jobs.ACTIVE).order_by("-pk").first()
        or reports.filter(status=jobs.JobStatus.DONE, inputs_hash=inputs_hash)
        .order_by("-pk")
        .first()
    )
    if existing is not None:
        return existing
    return gap_report_queue(assessment=assessment, user=user)


def gap_report_queue(*, assessment: Assessment, user: User | None) -> GapReport:
    """Queue a new report of `assessment` (on commit; queueing never fails the caller)."""
    report = GapReport.objects.create(
        assessment=assessment,
        requested_by=user,
        preliminary=assessment.status != AssessmentStatus.APPROVED,
    )
    jobs.enqueue_on_commit(GapReport.task_name, report.pk)
    return report


def latest_report(assessment: Assessment) -> GapReport | None:
    """The assessment's newest report: the finished one whose rows are its snapshots, or the
    newest under way or failed when none has finished."""
    reports = GapReport.objects.filter(assessment=assessment).order_by("-pk")
    return reports.filter(status=jobs.JobStatus.DONE).first() or reports.first()


# --- The computation, for one assessment or a cycle -------------------------------------------
@dataclass(frozen=True)
class Computed:
    """What a build writes: the snapshot rows of every assessment computed, and per assessment
    its figures, basis and inputs hash."""

    snapshots: pd.DataFrame
    figures: dict[int, dict]
    basis: dict[int, str]
    hashes: dict[int, str]


def _records(table: pd.DataFrame, columns: Sequence[str]) -> dict[int, list[dict]]:
    """The table's rows as JSON-ready dicts (NaN/NA as None), bucketed by assessment."""
    buckets: dict[int, list[dict]] = defaultdict(list)
    if table.empty:
        return buckets
    picked = table.loc[:, [f.ASSESSMENT, *columns]].astype(object)
    picked = picked.where(picked.notna(), None)
    # Rows zipped by hand: DataFrame.to_dict boxes every value again, three times slower here.
    for assessment, *values in picked.itertuples(index=False, name=None):
        buckets[int(assessment)].append(dict(zip(columns, values, strict=True)))
    return buckets


def _standings(
    snapshots: pd.DataFrame, regions: pd.DataFrame, codes: dict[int, str]
) -> dict[int, list[dict]]:
    """Each assessment's anonymous peer standing (`peers.PeerStanding` as data): per group its
    size, the region's percentile and quartile, and the group's medians; no other region in it."""
    positions = peer_positions(snapshots, regions)
    medians = peer_medians(snapshots, regions)
    median_of: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for group, key, code, median in medians[[GROUP, GROUP_KEY, f.CODE, MEDIAN]].itertuples(
        index=False
    ):
        if not pd.isna(median):
            median_of[(group, key)][code] = float(median)
    sizes = positions.groupby([GROUP, GROUP_KEY]).size().to_dict()
    placed = {
        (region, group): (percentile, quartile)
        for region, group, percentile, quartile in positions[
            [f.REGION, GROUP, PERCENTILE, QUARTILE]
        ].itertuples(index=False)
    }
    own = regions.drop_duplicates(f.REGION).set_index(f.REGION)
    out: dict[int, list[dict]] = {}
    for assessment, region in codes.items():
        keys = {
            PROVINCE: str(own.at[region, PROVINCE]),
            COHORT: "" if pd.isna(own.at[region, COHORT]) else str(int(own.at[region, COHORT])),
            "nation": "ID",
        }
        groups = []
        for group in GROUPS:
            if not keys[group]:
                continue
            percentile, quartile = placed.get((region, group), (None, None))
            groups.append(
                {
                    "group": group,
                    "key": keys[group],
                    "peers": int(sizes.get((group, keys[group]), 0)),
                    "percentile": None if pd.isna(percentile) else float(percentile),
                    "quartile": None if pd.isna(quartile) else int(quartile),
                    "medians": median_of.get((group, keys[group]), {}),
                }
            )
        out[assessment] = groups
    return out


def _trends(
    tables, cycle: Cycle, scale: f.Scale, snapshots: pd.DataFrame
) -> tuple[dict[int, list[dict]], dict[int, list[dict]], dict[int, list[dict]]]:
    """Per assessment: the trend series (index and readiness per cycle, earlier cycles first),
    the changes against the previous approved cycle, and the markers of non-comparable
    indicators."""
    codes = tables.indicators[[f.ASSESSMENT, f.REGION]].drop_duplicates()
    earlier = frames.earlier_frame(cycle, codes[f.REGION].unique().tolist())
    if earlier.empty:
        return {}, {}, {}
    frameworks = frames.earlier_frameworks(earlier, cycle.framework)
    indicators = earlier[earlier[f.SCOPE] == f.SCOPE_INDICATOR]
    result = trend(
        tables,
        indicators.loc[:, [EARLIER_CYCLE, f.REGION, f.INDICATOR, f.CURRENT]],
        frameworks,
        scale=scale,
    )
    # The series: each cycle's own index values (as % of scale where the scale changed).
    indices = (
        earlier[earlier[f.SCOPE] != f.SCOPE_INDICATOR]
        .rename(columns={f.INDICATOR: f.CODE})
        .merge(codes, on=f.REGION)
    )
    normalised = indices[EARLIER_CYCLE].map(lambda label: frameworks[label].scale != scale)
    values = indices[f.CURRENT].copy()
    for label, framework in frameworks.items():
        if framework.scale != scale:
            mask = indices[EARLIER_CYCLE] == label
            values[mask] = framework.scale.percent(indices.loc[mask, f.CURRENT])
    any_normalised = normalised.groupby(indices[f.ASSESSMENT]).any()
    now = snapshots[snapshots[f.SCOPE].isin([f.SCOPE_INDEX, f.SCOPE_READINESS])]
    now_values = now[f.CURRENT].where(
        ~now[f.ASSESSMENT].map(any_normalised).fillna(False).astype(bool),
        scale.percent(now[f.CURRENT]),
    )
    series = pd.concat(
        [
            indices.assign(value=values, year=indices[frames.YEAR]),
            now.assign(**{EARLIER_CYCLE: cycle.title, "value": now_values, "year": cycle.year}),
        ],
        ignore_index=True,
    ).sort_values([f.ASSESSMENT, "year", f.CODE])
    series = series.assign(**{NORMALISED: series[f.ASSESSMENT].map(any_normalised).fillna(False)})
    # Changes against each region's previous approved cycle only.
    latest = (
        earlier.groupby(f.REGION)[frames.YEAR]
        .max()
        .rename("latest")
        .reset_index()
        .merge(
            earlier[[f.REGION, frames.YEAR, EARLIER_CYCLE]].drop_duplicates(),
            left_on=[f.REGION, "latest"],
            right_on=[f.REGION, frames.YEAR],
        )
    )
    changes = result.changes.merge(latest[[f.REGION, EARLIER_CYCLE]], on=[f.REGION, EARLIER_CYCLE])
    cycles_of = earlier[[f.REGION, EARLIER_CYCLE]].drop_duplicates().merge(codes, on=f.REGION)
    markers = cycles_of.merge(result.markers, on=EARLIER_CYCLE)
    return (
        _records(series, [EARLIER_CYCLE, f.CODE, "value", NORMALISED]),
        _records(
            changes, [EARLIER_CYCLE, f.SCOPE, f.CODE, PREVIOUS, f.CURRENT, CHANGE, NORMALISED]
        ),
        _records(markers, [EARLIER_CYCLE, "marker", f.INDICATOR, f.ELEMENT, "related"]),
    )


def _compute(
    frame: pd.DataFrame,
    cycle: Cycle,
    *,
    final: dict[int, bool],
    others: pd.DataFrame,
    regions: pd.DataFrame,
) -> Computed:
    """Scores, snapshot rows and figures of every assessment in `frame`, in one pass.

    `others`: the stored pillar and index rows of the cycle's other approved assessments (peers);
    `regions`: the province and cohort of every region compared.
    """
    scale, bands = frames.scale_and_bands(cycle.framework_id)
    tables = score_tables(frame, scale=scale)
    snapshots = snapshot_rows_of(tables, bands=bands)
    basis = assessment_basis(tables)
    codes = dict(
        tables.indicators[[f.ASSESSMENT, f.REGION]].drop_duplicates().itertuples(index=False)
    )
    finals = snapshots[snapshots[f.ASSESSMENT].map(final).fillna(False).astype(bool)]
    standings = _standings(pd.concat([others, finals], ignore_index=True), regions, codes)
    series, changes, markers = _trends(tables, cycle, scale, snapshots)
    indicators = tables.indicators
    by_scope = {
        scope: snapshots[snapshots[f.SCOPE] == scope] for scope in (f.SCOPE_ELEMENT, f.SCOPE_PILLAR)
    }
    tables_of = {
        "indicators": _records(
            indicators,
            [
                f.PILLAR,
                f.ELEMENT,
                f.INDICATOR,
                f.SELF_LEVEL,
                f.VERIFIED_LEVEL,
                f.NOT_APPLICABLE,
                f.CURRENT,
                f.TARGET_SCORE,
                f.GAP,
                f.BASIS,
            ],
        ),  # fmt: skip
        "elements": _records(
            tables.elements.merge(
                by_scope[f.SCOPE_ELEMENT][[f.ASSESSMENT, f.CODE, f.BASIS]],
                left_on=[f.ASSESSMENT, f.ELEMENT],
                right_on=[f.ASSESSMENT, f.CODE],
                how="left",
            ),
            [f.PILLAR, f.ELEMENT, f.CURRENT, f.TARGET_SCORE, f.GAP, f.BASIS],
        ),
        "pillars": _records(
            tables.pillars.merge(
                by_scope[f.SCOPE_PILLAR][[f.ASSESSMENT, f.CODE, f.BASIS, f.PREDIKAT]],
                left_on=[f.ASSESSMENT, f.PILLAR],
                right_on=[f.ASSESSMENT, f.CODE],
                how="left",
            ),
            [f.PILLAR, f.PILLAR_KIND, f.CURRENT, f.TARGET_SCORE, f.GAP, f.BASIS, f.PREDIKAT],
        ),
        "indices": _records(
            snapshots[snapshots[f.SCOPE].isin([f.SCOPE_INDEX, f.SCOPE_READINESS])],
            [f.SCOPE, f.CODE, f.CURRENT, f.TARGET_SCORE, f.GAP, f.BASIS, f.PREDIKAT],
        ),
        "top_gaps": _records(
            top_gaps(indicators), [f.INDICATOR, f.CURRENT, f.TARGET_SCORE, f.GAP, PRIORITY]
        ),
        "top_strengths": _records(top_strengths(indicators, scale=scale), [f.INDICATOR, f.CURRENT]),
        "self_vs_verified": _records(
            self_versus_verified(indicators),
            [f.PILLAR, "reviewed", "mean_difference", "largest_difference", "largest_indicator"],
        ),
        "checks": _records(
            consistency_checks(indicators),
            ["check", f.INDICATOR, f.SELF_LEVEL, f.VERIFIED_LEVEL, f.CURRENT, f.TARGET],
        ),
    }
    figures = {
        pk: {
            "scale": [scale.lowest, scale.highest],
            "bands": [[b.lower, b.upper, b.label_id, b.label_en] for b in bands],
            **{name: table.get(pk, []) for name, table in tables_of.items()},
            "trend": series.get(pk, []),
            "changes": changes.get(pk, []),
            "markers": markers.get(pk, []),
            "peers": standings.get(pk, []),
        }
        for pk in codes
    }
    hashes = inputs_hashes(
        frame, framework_id=cycle.framework_id, final=pd.Series(final, dtype=bool)
    ).to_dict()
    return Computed(
        snapshots=snapshots,
        figures=figures,
        basis={int(pk): str(value) for pk, value in basis.dropna().items()},
        hashes={int(pk): value for pk, value in hashes.items()},
    )


SNAPSHOT_FIELDS = (
    "assessment_id",
    "report_id",
    "cycle_id",
    "region_id",
    "preliminary",
    "scope",
    "code",
    "current",
    "target",
    "gap",
    "basis",
    "predikat",
)


def _snapshot_rows(
    snapshots: pd.DataFrame,
    *,
    cycle_id: int,
    region_ids: dict[int, int],
    reports: dict[int, int],
    final: dict[int, bool],
) -> list[tuple]:
    """The snapshot rows as value tuples in `SNAPSHOT_FIELDS` order (no model instances)."""
    rows = snapshots.astype(object).where(snapshots.notna(), None)
    return [
        (
            assessment,
            reports[assessment],
            cycle_id,
            region_ids[assessment],
            not final[assessment],
            scope,
            code,
            current,
            target,
            gap,
            basis or "",
            predikat or "",
        )
        for assessment, _region, scope, code, current, target, gap, basis, predikat in rows[
            list(f.SNAPSHOT_COLUMNS)
        ].itertuples(index=False)
    ]


def _replace_snapshots(rows: list[tuple], assessment_ids: list[int]) -> int:
    """The assessments' snapshot sets replaced by `rows`: one DELETE, then bulk INSERTs
    (`smartcity.bulk.insert_rows`), inside the caller's transaction."""
    ScoreSnapshot.objects.filter(assessment_id__in=assessment_ids).delete()
    written = insert_rows(ScoreSnapshot, fields=SNAPSHOT_FIELDS, rows=rows)
    scores_replaced.send(sender=ScoreSnapshot, assessment_ids=assessment_ids)
    return written


def _region_row(assessment: Assessment) -> pd.DataFrame:
    region = assessment.region
    return pd.DataFrame(
        [[region.code, region.province.code, region.cohort_year]],
        columns=[f.REGION, PROVINCE, COHORT],
    )


def gap_report_build(report: GapReport) -> dict:
    """The work of a report (inside the job's transaction, see `jobs.run_job`): compute the
    assessment's figures and replace its snapshot rows. Final if the assessment is approved
    now, preliminary otherwise. Returns the report's result fields."""
    assessment = Assessment.objects.select_related("cycle__framework", "region__province").get(
        pk=report.assessment_id
    )
    if assessment.status not in REPORTABLE_STATUSES:
        raise jobs.JobFailed(NOT_REPORTABLE)
    final = {assessment.pk: assessment.status == AssessmentStatus.APPROVED}
    regions = pd.concat(
        [frames.region_frame(assessment.cycle_id), _region_row(assessment)], ignore_index=True
    ).drop_duplicates(f.REGION)
    computed = _compute(
        frames.response_frame(Q(pk=assessment.pk)),
        assessment.cycle,
        final=final,
        others=frames.peer_snapshot_frame(assessment.cycle_id, excluding=assessment.pk),
        regions=regions,
    )
    _replace_snapshots(
        _snapshot_rows(
            computed.snapshots,
            cycle_id=assessment.cycle_id,
            region_ids={assessment.pk: assessment.region_id},
            reports={assessment.pk: report.pk},
            final=final,
        ),
        [assessment.pk],
    )
    return {
        "figures": computed.figures.get(assessment.pk, {}),
        "basis": computed.basis.get(assessment.pk, ""),
        "inputs_hash": computed.hashes.get(assessment.pk, ""),
        "preliminary": not final[assessment.pk],
    }


# --- The cycle-wide pass ---------------------------------------------------------------------
@dataclass(frozen=True)
class CycleSummary:
    assessments: int
    snapshots: int
    basis: dict[str, int]
    predikat: dict[str, int]


def cycle_scores_compute(cycle: Cycle) -> tuple[Computed, pd.DataFrame]:
    """Every approved assessment of the cycle computed in one pass: one frame, one groupby."""
    approved = Q(cycle=cycle, status=AssessmentStatus.APPROVED)
    frame = frames.response_frame(approved)
    final = dict.fromkeys(frame[f.ASSESSMENT].unique().tolist(), True)
    computed = _compute(
        frame,
        cycle,
        final=final,
        others=pd.DataFrame(columns=frames.PEER_COLUMNS),
        regions=frames.region_frame(cycle.pk),
    )
    return computed, frame


def summary_of(computed: Computed) -> CycleSummary:
    indices = computed.snapshots[computed.snapshots[f.SCOPE] == f.SCOPE_INDEX]
    return CycleSummary(
        assessments=len(computed.figures),
        snapshots=len(computed.snapshots),
        basis=pd.Series(computed.basis, dtype=object).value_counts().to_dict(),
        predikat=indices[f.PREDIKAT].value_counts().to_dict(),
    )


def cycle_scores_run(job: CycleScoresJob) -> dict:
    """The work of a cycle recomputation (inside the job's transaction): a new final report for
    every approved assessment, their snapshot sets replaced, all peer figures refreshed; one
    frame, one groupby, one bulk write of reports and one of snapshot rows."""
    cycle = Cycle.objects.select_related("framework").get(pk=job.cycle_id)
    jobs.job_progress(job=job, percent=10, step=RECOMPUTE_STEP)
    computed, frame = cycle_scores_compute(cycle)
    jobs.job_progress(job=job, percent=60, step=RECOMPUTE_STEP)
    written = cycle_scores_write(cycle, computed, frame, user_id=job.requested_by_id)
    return {"reports": len(computed.figures), "snapshots": written}


# The columns a cycle pass writes of each report, straight as values (JSON as text).
REPORT_FIELDS = (
    "assessment_id",
    "requested_by_id",
    "status",
    "created_at",
    "started_at",
    "finished_at",
    "progress",
    "step",
    "error",
    "error_params",
    "attempts",
    "inputs_hash",
    "preliminary",
    "basis",
    "figures",
)


def cycle_scores_write(
    cycle: Cycle, computed: Computed, frame: pd.DataFrame, *, user_id: int | None
) -> int:
    """Write the pass: the reports (done), then the snapshot sets replaced; returns the rows."""
    ids = sorted(computed.figures)
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    finished = {
        "requested_by_id": user_id,
        "status": jobs.JobStatus.DONE,
        "created_at": stamp,
        "started_at": stamp,
        "finished_at": stamp,
        "progress": 100,
        "step": "",
        "error": "",
        "error_params": "{}",
        "attempts": 1,
        "preliminary": False,
    }
    reports = [
        {
            **finished,
            "assessment_id": pk,
            "inputs_hash": computed.hashes.get(pk, ""),
            "basis": computed.basis.get(pk, ""),
            "figures": json.dumps(computed.figures[pk]),
        }
        for pk in ids
    ]
    report_ids = insert_rows_returning_ids(
        GapReport,
        fields=REPORT_FIELDS,
        rows=[tuple(report[name] for name in REPORT_FIELDS) for report in reports],
    )
    region_ids = dict(
        frame[[f.ASSESSMENT, frames.REGION_ID]].drop_duplicates().itertuples(index=False)
    )
    return _replace_snapshots(
        _snapshot_rows(
            computed.snapshots,
            cycle_id=cycle.pk,
            region_ids=region_ids,
            reports=dict(zip(ids, report_ids, strict=True)),
            final=dict.fromkeys(ids, True),
        ),
        ids,
    )


@transaction.atomic
def cycle_scores_request(*, cycle: Cycle, user: User) -> CycleScoresJob:
    """Queue the recomputation of a cycle (administrators only; one at a time per cycle)."""
    if not access.is_administrator(user):
        raise WrongState(_("Only administrators recompute a cycle's scores."))
    _refuse_a_second_pass(cycle)
    job = CycleScoresJob.objects.create(cycle=cycle, requested_by=user)
    jobs.enqueue_on_commit(CycleScoresJob.task_name, job.pk)
    return job


def _refuse_a_second_pass(cycle: Cycle) -> None:
    """Refuse while a recomputation of the cycle is queued or running: two passes at once would
    write every report twice and race for the same score rows. The lock on the cycle's row makes
    two simultaneous requests take turns, so the second one sees the first one's job."""
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    active = (
        CycleScoresJob.objects.filter(cycle=cycle, status__in=jobs.ACTIVE)
        .select_related("requested_by")
        .first()
    )
    if active is not None:
        raise WrongState(
            _(
                "The scores of this cycle are already being recomputed (asked for by %(who)s). "
                "Follow that job on its page; you can start another once it has finished."
            )
            % {"who": active.requested_by or _("(deleted user)")}
        )
