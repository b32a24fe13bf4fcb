"""Tell whoever keeps derived figures that a center's records changed.

Apps lower down cannot import the dashboards; they call `center_changed(center_id)` after a write that
signals do not see (bulk inserts), and wrap many writes in `batch()` so the figures are refreshed once per
center when the block ends, still inside the same transaction. The dashboards subscribe in ready().
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[int], None]
_listeners: list[Listener] = []
_state = threading.local()


def subscribe(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def center_changed(center_id: int | None) -> None:
    if center_id is None:
        return
    pending: set[int] | None = getattr(_state, "pending", None)
    if pending is not None:
        pending.add(center_id)
        return
    for listener in _listeners:
        listener(center_id)


@contextmanager
def batch() -> Iterator[None]:
    """Defer refreshes until the outermost block ends, then run one per center (in id order)."""
    if getattr(_state, "pending", None) is not None:
        yield
        return
    _state.pending = set()
    try:
        yield
        pending = sorted(_state.pending)
    finally:
        _state.pending = None
    for center_id in pending:
        center_changed(center_id)
