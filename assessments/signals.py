"""Signals of the assessments app, for what bulk writes do not announce through `post_save`."""

from django.dispatch import Signal

# Sent (sender=ScoreSnapshot, assessment_ids=[...]) after assessments' snapshot sets were replaced
# with one DELETE and bulk INSERTs. ScoreSnapshot itself has no row signals on purpose: with one,
# Django would load every row it deletes instead of deleting them in one statement.
scores_replaced = Signal()
