"""Signals of the evaluations app, for what bulk writes do not announce through `post_save`."""

from django.dispatch import Signal

# Sent (sender=EvaluationRound, evaluation_round=...) after a round's evaluations are re-computed
# with one bulk update: their achievement indices changed.
results_computed = Signal()
