"""The outbox: task messages recorded in the database with the change that asked for them."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One Celery task to publish: written in the transaction of the state change that needs it,
    published after that transaction commits, and marked sent once the broker accepted it.

    A message still unsent (broker unreachable, process gone before the publish) is published
    again by the beat task `smartcity.outbox_resend`. Delivery is at least once: tasks are
    idempotent.
    """

    id = models.BigAutoField(primary_key=True)
    task_id = models.UUIDField(_("task id"), default=uuid.uuid4, editable=False, unique=True)
    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("publish attempts"), default=0)
    last_error = models.TextField(_("last publish error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at=None), name="outbox_unsent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
