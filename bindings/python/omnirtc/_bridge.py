"""From the library's threads to the owning asyncio loop.

Every peer connection is a polled one (omnirtc_peer_create_polled): the
library queues its events and calls one ctypes notify callback, on a Go thread,
when the queue stops being empty; that only schedules a drain on the peer's
loop, so a burst costs one wake-up. The drain takes the events in batches and
runs user code, only ever on the loop; after TURN batches it lets the loop have
a turn before it goes on, so a remote that keeps the queue full cannot starve
other callbacks and I/O. The queue is the library's, bounded by
its byte budget: while the loop falls behind, the library stops reading the
channels and SCTP flow control pushes back, so nothing is queued here.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import itertools
import weakref
from typing import Any, Callable, NamedTuple

from . import _abi, _native

BATCH = 256  # events taken per poll
TURN = 16  # batches taken before the loop gets a turn
# the events whose data and size point to a payload
_CARRY_DATA = (_abi.OMNIRTC_EVENT_CHANNEL_MESSAGE, _abi.OMNIRTC_EVENT_TRACK_RTP, _abi.OMNIRTC_EVENT_TRACK_FRAME)


class Event(NamedTuple):
    type: int
    state: int
    channel: int
    text: str | None
    sdp_mid: str | None
    sdp_mline_index: int
    binary: bool
    data: bytes | None
    track: int = 0
    transceiver: int = 0
    rid: str | None = None
    rtp_timestamp: int = 0
    keyframe: bool = False
    value: int = 0


class Inbox:
    """Where one peer connection's events are taken from the library, on its loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, owner: Any, handler: Callable[[Any, Event], None]) -> None:
        self.loop = loop
        self.owner = weakref.ref(owner)  # a collected peer connection is closed
        self.handler = handler
        self.handle = 0  # set once omnirtc_peer_create_polled returned
        self.token = 0
        self.batch = (_abi.omnirtc_event_t * BATCH)()

    def wake(self) -> None:  # on a library thread
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is left to deliver to
            self.loop.call_soon_threadsafe(self.drain)

    def drain(self) -> None:  # on the loop
        count = ctypes.c_size_t()
        for _ in range(TURN):
            # a failure means PEER_CLOSED was taken by an earlier drain
            if _native.lib.omnirtc_peer_poll_events(self.handle, self.batch, BATCH, ctypes.byref(count)) != 0:
                return
            for e in self.batch[: count.value]:
                event = _copy(e)
                if event.type == _abi.OMNIRTC_EVENT_PEER_CLOSED:
                    _inboxes.pop(self.token, None)
                owner = self.owner()
                if owner is not None:
                    try:
                        self.handler(owner, event)
                    except Exception as exc:  # noqa: BLE001 - never fatal
                        self.loop.call_exception_handler({"message": "omnirtc event handler failed", "exception": exc})
            if count.value < BATCH:  # the queue is empty: the library notifies again
                return
        self.loop.call_soon(self.drain)


_inboxes: dict[int, Inbox] = {}
_tokens = itertools.count(1)


def register(inbox: Inbox) -> int:
    inbox.token = next(_tokens)
    _inboxes[inbox.token] = inbox
    return inbox.token


def _decode(value: bytes | None) -> str | None:
    return value.decode("utf-8", "replace") if value is not None else None


def _copy(e: Any) -> Event:
    """The event as Python values: what it points to is the library's until the next poll."""
    return Event(
        e.type,
        e.state,
        e.channel,
        _decode(e.text),
        _decode(e.sdp_mid),
        e.sdp_mline_index,
        bool(e.binary),
        ctypes.string_at(e.data, e.size) if e.type in _CARRY_DATA else None,
        e.track,
        e.transceiver,
        _decode(e.rid),
        e.rtp_timestamp,
        bool(e.keyframe),
        e.value,
    )


@_abi.omnirtc_notify_cb
def _on_notify(user_data: int | None, peer: int) -> None:
    try:
        inbox = _inboxes.get(user_data or 0)
        if inbox is not None:
            inbox.wake()
    except BaseException:  # noqa: BLE001 - a Go thread must never see a Python exception
        pass


notify = _on_notify
