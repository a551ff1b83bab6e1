"""The transactional outbox: side effects that must follow a commit, written in the same transaction.

The lowest layer of the portal: it knows Celery task names and JSON arguments, nothing of
the domain. Domain services call :func:`outbox.services.message_enqueue` instead of
``task.delay()``; the row commits or rolls back with their change, and a relay hands it
to Celery afterwards (at once on commit, and every few seconds from celery beat). The
consumer marks it done, so delivery is at least once, end to end: consumers must be
harmless to run twice.
"""
