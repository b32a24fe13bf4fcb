"""Calls sent at the same moment, each in its own thread (and so its own database connection), for the
transactional tests of the row locks: two sends of one form, two payments on one contract."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections


def skip_if_locks_never_wait() -> None:
    """Skip on the in-memory SQLite test database, known once the test database is made (call it in the
    test): its threads share one cache whose table locks never wait."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("the in-memory SQLite test database shares one cache whose table locks never wait")


def at_once(*calls: Callable[[], Any]) -> tuple[list[Any], list[Exception]]:
    """Run each call in its own thread, all released at the same moment, and wait for them: what they
    returned and what they raised, each in the order the calls finished."""
    barrier, returned, raised = threading.Barrier(len(calls)), [], []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            returned.append(call())
        except Exception as exc:
            raised.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return returned, raised
