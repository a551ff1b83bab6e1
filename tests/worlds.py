"""Worlds built once per module (or class) instead of once per test.

A module-scoped fixture builds its objects inside :func:`built_once`: one transaction
that stays open while the module's tests run and is rolled back when the fixture is torn
down. Each test asks for pytest-django's ``db`` as well, which wraps it in a savepoint
inside that transaction: whatever a test changes is undone before the next one starts,
so every test still sees the world exactly as it was built.

Only for modules whose tests all run in transactions (``db``, never ``transactional_db``
or ``live_server``, which would need the data committed). Objects kept in memory between
tests are shared too: a test that changes one in memory must read it afresh first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models.fields.files import FieldFile


@contextmanager
def built_once(django_db_blocker) -> Iterator[None]:
    """A transaction for a world that several tests share, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def delete_files(*files: FieldFile) -> None:
    """Remove the files a world wrote to the media storage (the rollback keeps only the rows away)."""
    for file in files:
        if file:
            file.storage.delete(file.name)
