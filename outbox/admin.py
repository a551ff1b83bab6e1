"""The outbox in the admin: what waits, what failed for good, and a way to try again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Message, SentMark


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "task", "status", "attempts", "created_at", "available_at", "done_at", "short_error"]
    list_filter = ["status", "task"]
    search_fields = ["task", "last_error"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [field.name for field in Message._meta.fields]

    # Operators only: the rows name tasks and ids, and a retry sends e-mails again.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        # A dead message an operator decided not to deliver may go.
        return self.has_module_permission(request)

    @admin.display(description=_("last error"))
    def short_error(self, message: Message) -> str:
        return message.last_error[:120]

    @admin.action(description=_("Try the selected messages again now"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = services.messages_retry(pks=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d message will be tried again.", "%(count)d messages will be tried again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(SentMark)
class SentMarkAdmin(admin.ModelAdmin):
    """Which once-only e-mails went out (outbox.services.sent_mark_claim): for operators
    asking "was it sent?". Deleting a mark lets the next run send that e-mail again."""

    list_display = ["key", "at"]
    search_fields = ["key"]
    date_hierarchy = "at"
    readonly_fields = ["key", "at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: SentMark | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SentMark | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SentMark | None = None) -> bool:
        return self.has_module_permission(request)
