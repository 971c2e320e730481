"""Gap analysis: pure pandas, no database. See docs/analysis.md for the rules computed here.

Modules: `frame` (the response frame's schema, validator, scale and predikat bands), `scores`
(level used, scores, targets, gaps, the cycle-wide pass), `priorities` (what to fix first,
strengths), `checks` (self versus verified, consistency checks), `trend` (change against
earlier cycles through crosswalks), `peers` (positions among the cycle's approved assessments).
"""

from assessments.analysis.checks import consistency_checks, self_versus_verified
from assessments.analysis.frame import (
    Band,
    ResponseFrameError,
    Scale,
    band_for,
    validate_responses,
)
from assessments.analysis.peers import (
    GroupStanding,
    NamedPeerStanding,
    PeerStanding,
    named_peer_standing,
    peer_medians,
    peer_positions,
    peer_standing,
)
from assessments.analysis.priorities import priorities, top_gaps, top_strengths
from assessments.analysis.scores import (
    ScoreTables,
    assessment_basis,
    score_tables,
    snapshot_rows,
    snapshot_rows_of,
)
from assessments.analysis.trend import EarlierFramework, Trend, trend

__all__ = [
    "Band",
    "EarlierFramework",
    "GroupStanding",
    "NamedPeerStanding",
    "PeerStanding",
    "ResponseFrameError",
    "Scale",
    "ScoreTables",
    "Trend",
    "assessment_basis",
    "band_for",
    "consistency_checks",
    "named_peer_standing",
    "peer_medians",
    "peer_positions",
    "peer_standing",
    "priorities",
    "score_tables",
    "self_versus_verified",
    "snapshot_rows",
    "snapshot_rows_of",
    "top_gaps",
    "top_strengths",
    "trend",
    "validate_responses",
]
