"""From the library's threads to the owning asyncio loop.

One ctypes callback serves every peer connection. It runs on a Go thread,
copies the event, appends it to the peer's inbox and, when the inbox was empty,
schedules one drain on the peer's loop: a burst of messages costs one wake-up.
User code only ever runs in the drain, on the loop. When the inbox of a peer
grows past HIGH_WATER messages the channels that feed it are paused (the
library then pushes back through SCTP flow control) until the loop catches up.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import itertools
import threading
import weakref
from collections import deque
from typing import Any, Callable, NamedTuple

from . import _abi, _native

HIGH_WATER = 4096
LOW_WATER = 1024
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
    """The events of one peer connection on their way to its loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, owner: Any, handler: Callable[[Any, Event], None]) -> None:
        self.loop = loop
        self.owner = weakref.ref(owner)  # a collected peer connection is closed
        self.handler = handler
        self.lock = threading.Lock()
        self.events: deque[Event] = deque()
        self.paused: set[int] = set()
        self.track_receive: bytes | None = None  # receive options applied to each new remote track

    def push(self, event: Event) -> None:  # on a library thread
        with self.lock:
            self.events.append(event)
            first = len(self.events) == 1
            pause = event.type == _abi.OMNIRTC_EVENT_CHANNEL_MESSAGE and len(self.events) > HIGH_WATER
            if pause and event.channel not in self.paused:
                self.paused.add(event.channel)
            else:
                pause = False
        if pause:
            _native.lib.omnirtc_channel_set_paused(event.channel, 1)
        if first:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is left to deliver to
                self.loop.call_soon_threadsafe(self.drain)

    def drain(self) -> None:  # on the loop
        while True:
            with self.lock:
                if not self.events:
                    resume, self.paused = self.paused, set()
                    break
                event = self.events.popleft()
                if len(self.events) < LOW_WATER and self.paused:
                    resume, self.paused = self.paused, set()
                else:
                    resume = set()
            for channel in resume:
                _native.lib.omnirtc_channel_set_paused(channel, 0)
            owner = self.owner()
            if owner is not None:
                try:
                    self.handler(owner, event)
                except Exception as exc:  # noqa: BLE001 - never fatal
                    self.loop.call_exception_handler({"message": "omnirtc event handler failed", "exception": exc})
        for channel in resume:
            _native.lib.omnirtc_channel_set_paused(channel, 0)


_inboxes: dict[int, Inbox] = {}
_tokens = itertools.count(1)


def register(inbox: Inbox) -> int:
    token = next(_tokens)
    _inboxes[token] = inbox
    return token


def _decode(value: bytes | None) -> str | None:
    return value.decode("utf-8", "replace") if value is not None else None


@_abi.omnirtc_event_cb
def _on_event(user_data: int | None, pointer: Any) -> None:
    try:
        e = pointer.contents
        inbox = _inboxes.get(user_data or 0)
        if inbox is None:
            return
        if e.type == _abi.OMNIRTC_EVENT_TRACK and inbox.track_receive is not None:
            # on the library's thread, inside the event: applies from the first packet
            _native.lib.omnirtc_track_set_receive(e.track, inbox.track_receive)
        carries_data = e.type in _CARRY_DATA
        data = ctypes.string_at(e.data, e.size) if carries_data else None
        inbox.push(
            Event(
                e.type,
                e.state,
                e.channel,
                _decode(e.text),
                _decode(e.sdp_mid),
                e.sdp_mline_index,
                bool(e.binary),
                data,
                e.track,
                e.transceiver,
                _decode(e.rid),
                e.rtp_timestamp,
                bool(e.keyframe),
                e.value,
            )
        )
        if e.type == _abi.OMNIRTC_EVENT_PEER_CLOSED:
            _inboxes.pop(user_data or 0, None)
    except BaseException:  # noqa: BLE001 - a Go thread must never see a Python exception
        pass


callback = _on_event
