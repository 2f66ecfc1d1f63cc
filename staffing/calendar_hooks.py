"""Who must hear that the working calendar changed.

Apps that store deadlines (casework, documents) register a callback in their AppConfig.ready();
the calendar services call `calendar_changed` with the dates whose status changed, inside their
transaction, so stored deadlines of open work are recomputed together with the calendar edit.
Staffing is the ground floor: it cannot import those apps, so they come to it.
"""

from collections.abc import Callable, Iterable

_listeners: list[Callable[[set], None]] = []


def register(listener: Callable[[set], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def unregister(listener: Callable[[set], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def calendar_changed(dates: Iterable) -> None:
    changed = set(dates)
    if not changed:
        return
    for listener in list(_listeners):
        listener(changed)
