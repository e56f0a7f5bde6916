"""What a polled library object that is not a peer connection (a TURN server,
a WHIP session or server) does in Python: its notify only schedules a drain
on the event loop, the drain takes the events in batches and emits them, and
the final event ends it. The library owns the queue; nothing is queued here."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import itertools
import threading
from typing import Any, Callable

from . import _native, logs
from .events import EventEmitter
from .exceptions import InvalidHandleError

_objects: dict[int, PolledObject] = {}  # by user_data key, until the final event
_keys = itertools.count(1)
_lock = threading.Lock()
_BATCH = 64  # events taken per poll


def text(value: bytes | None) -> str:
    """A C string of an event, decoded."""
    return (value or b"").decode("utf-8", "replace")


def notify(user_data: int | None) -> None:
    """The body of a notify callback, on a library thread: schedule a drain on the object's loop."""
    try:
        with _lock:
            target = _objects.get(user_data or 0)
        if target is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is left to deliver to
                target._loop.call_soon_threadsafe(target._drain)
    except BaseException:  # noqa: BLE001 - a Go thread must never see a Python exception
        pass


def registered(user_data: int | None) -> PolledObject | None:
    """The object of a callback's user_data, until its final event."""
    with _lock:
        return _objects.get(user_data or 0)


class PolledObject(EventEmitter):
    """A polled library object. Subclasses name the C event struct (``_event_t``), the poll and close functions
    (``_poll``, ``_close_fn``) and the final event's type (``_final``), and emit the other events (``_deliver``)."""

    _event_t: Any
    _poll: Callable[..., int]
    _close_fn: Callable[[int], int]
    _final: int

    def __init__(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """Bind to ``loop`` (default: the current one); :meth:`_start` starts the library object."""
        super().__init__()
        self._loop = loop or asyncio.get_event_loop()
        self._closed: asyncio.Future[None] = self._loop.create_future()
        self._key = next(_keys)
        self._batch = (self._event_t * _BATCH)()
        self._handle = 0

    def _start(self, start: Callable[[ctypes.c_void_p, Any], int], handle: Any) -> None:
        """Register, then run ``start(user_data, byref(handle))``; unregister if it fails."""
        with _lock:
            _objects[self._key] = self
        logs.sync_log_level()
        try:
            _native.check(start(ctypes.c_void_p(self._key), ctypes.byref(handle)))
        except BaseException:
            with _lock:
                _objects.pop(self._key, None)
            raise
        self._handle = handle.value

    def _drain(self) -> None:  # on the loop, after a notify
        count = ctypes.c_size_t()
        poll = type(self)._poll
        while not self._closed.done():
            if poll(self._handle, self._batch, _BATCH, ctypes.byref(count)):
                return  # the final event was taken by an earlier drain
            for event in self._batch[: count.value]:
                if event.type == self._final:  # alone, and last
                    with _lock:
                        _objects.pop(self._key, None)
                    self._on_final(event)
                    self._closed.set_result(None)
                    self.emit("close")
                else:
                    self._deliver(event)
            if count.value < _BATCH:  # the queue is empty: the library notifies again
                return

    def _deliver(self, event: Any) -> None:
        raise NotImplementedError

    def _on_final(self, event: Any) -> None:
        """The final event, before ``close`` is emitted."""

    async def close(self) -> None:
        """End the object; returns once its ``close`` event was emitted. Idempotent."""
        if not self._closed.done():
            with contextlib.suppress(InvalidHandleError):  # already closed (omnirtc_shutdown), or ended by itself
                _native.check(type(self)._close_fn(self._handle))
        await self._closed
