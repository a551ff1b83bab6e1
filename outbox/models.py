"""One row per side effect to deliver: a Celery task name and its JSON arguments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Status(models.TextChoices):
        # Waiting for the relay (new, or back after a failed try).
        PENDING = "pending", _("waiting")
        # Handed to the broker; the consumer has not reported back yet.
        DISPATCHED = "dispatched", _("handed to a worker")
        # A worker started it and has not finished yet.
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        # Failed OUTBOX_MAX_ATTEMPTS times; retried only from the admin.
        DEAD = "dead", _("failed for good")

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Not dispatched before this time: the backoff after a failure, or a requested delay.
    available_at = models.DateTimeField(_("next try"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["pk"]
        indexes = [
            # The relay's two questions: what waits and is due, what was handed over long ago.
            models.Index(fields=["status", "available_at"], name="outbox_due"),
            models.Index(fields=["status", "dispatched_at"], name="outbox_dispatched"),
            models.Index(fields=["status", "started_at"], name="outbox_running"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "dispatched", "running", "done", "dead"]), name="outbox_status_known"
            ),
            models.CheckConstraint(condition=~Q(status="done") | Q(done_at__isnull=False), name="outbox_done_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} ({self.status})"


class SentMark(models.Model):
    """One e-mail (or other once-only effect) that went out, named by a key its sender chooses.

    A task may run twice (a worker lost after sending, a message handed over again after
    its lease), so a sender first inserts its key here and sends only when the insert was
    its own: the unique key lets one of two concurrent senders win. A send that fails
    removes its mark again, so a retry may send.
    """

    key = models.CharField(_("key"), max_length=255, unique=True)
    at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("sent mark")
        verbose_name_plural = _("sent marks")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.key
