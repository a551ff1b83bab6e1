"""Seeing what the services handed to the outbox, in tests that are not about delivering it.

``capture(monkeypatch, into, task=NAME)`` replaces :func:`outbox.services.publish`: messages
for ``task`` (or for every task when ``task`` is None) are appended to ``into`` as
``(task name, args tuple)`` instead of being run; other messages go on as usual.
"""

from __future__ import annotations

from outbox import services


def capture(monkeypatch, into: list, *, task: str | None = None, args_only: bool = False) -> list:
    original = services.publish

    def publish(message) -> bool:
        if task is None or message.task == task:
            into.append(tuple(message.args) if args_only else (message.task, tuple(message.args)))
            return True
        return original(message)

    monkeypatch.setattr(services, "publish", publish)
    return into


def hand_overs(callbacks: list) -> list:
    """The on-commit callbacks that hand an outbox message over, without the ones that
    make cached fragments stale (portal/page_cache.py), which a test of e-mails ignores."""
    return [callback for callback in callbacks if getattr(callback, "func", None) is services._hand_over_after_commit]
