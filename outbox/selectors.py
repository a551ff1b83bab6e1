"""What the outbox holds, for the readiness check and the coordinators' pages."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min

from .models import Message

UNFINISHED = [Message.Status.PENDING, Message.Status.DISPATCHED, Message.Status.RUNNING]


def oldest_unfinished_created_at() -> datetime | None:
    """When the oldest message still waiting (or in flight) was written; None when all are done."""
    return Message.objects.filter(status__in=UNFINISHED).aggregate(oldest=Min("created_at"))["oldest"]


def dead_count() -> int:
    return Message.objects.filter(status=Message.Status.DEAD).count()
