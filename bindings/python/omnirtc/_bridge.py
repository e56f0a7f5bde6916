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
_STATES = (
    _abi.OMNIRTC_EVENT_ICE_GATHERING_STATE,
    _abi.OMNIRTC_EVENT_ICE_CONNECTION_STATE,
    _abi.OMNIRTC_EVENT_CONNECTION_STATE,
    _abi.OMNIRTC_EVENT_SIGNALING_STATE,
)
_CHANNEL_ONLY = (
    _abi.OMNIRTC_EVENT_DATA_CHANNEL,
    _abi.OMNIRTC_EVENT_CHANNEL_OPEN,
    _abi.OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW,
    _abi.OMNIRTC_EVENT_CHANNEL_CLOSING,
    _abi.OMNIRTC_EVENT_CHANNEL_CLOSE,
)


class Event(NamedTuple):
    """One event as Python values: each field has one meaning, set for the
    types the header's event table gives it (the others keep the default)."""

    type: int
    channel: int = 0  # DATA_CHANNEL and the channel events
    candidate: str = ""  # ICE_CANDIDATE: "" at end of candidates; SELECTED_CANDIDATE_PAIR: the local one
    sdp_mid: str = ""  # ICE_CANDIDATE
    sdp_mline_index: int = 0  # ICE_CANDIDATE
    state: int = 0  # the *_STATE events, TRANSPORT_STATE: the new state
    gathering: int = 0  # ICE_GATHERING_STATE: the gathering's number
    data: bytes = b""  # CHANNEL_MESSAGE, TRACK_RTP, TRACK_FRAME
    binary: bool = False  # CHANNEL_MESSAGE
    error: str = ""  # CHANNEL_ERROR
    track: int = 0  # TRACK, TRACK_RTP, TRACK_FRAME, TRACK_ENDED
    transceiver: int = 0  # TRACK, KEYFRAME_REQUEST
    rid: str = ""  # TRACK, KEYFRAME_REQUEST
    info_json: str = "{}"  # TRACK; DATA_CHANNEL, CHANNEL_OPEN: the channel's, as it opened
    rtp_timestamp: int = 0  # TRACK_RTP, TRACK_FRAME
    keyframe: bool = False  # TRACK_FRAME
    layer: tuple[int, int, int, int] = (-1, -1, -1, -1)  # TRACK_RTP: spatial_id, temporal_id, keyframe, switch_point
    packets_dropped: int = 0  # TRACK_FRAME
    keyframe_kind: int = 0  # KEYFRAME_REQUEST: OMNIRTC_KEYFRAME_*
    bits_per_second: int = 0  # TARGET_BITRATE
    streams_json: str = "{}"  # TARGET_BITRATE
    transport: int = 0  # TRANSPORT_STATE: OMNIRTC_TRANSPORT_*
    remote_candidate: str = ""  # SELECTED_CANDIDATE_PAIR (candidate: the local one)
    tone: str = ""  # DTMF_TONE_CHANGE ("" at the end of the buffer), DTMF_TONE
    duration_ms: int = 0  # DTMF_TONE


class Inbox:
    """Where one peer connection's events are taken from the library, on its loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, owner: Any, handler: Callable[[Any, Event], None]) -> None:
        self.loop = loop
        self.owner = weakref.ref(owner)  # a collected peer connection is closed
        self.handler = handler
        self.handle = 0  # set once omnirtc_peer_create_polled returned
        self.token = 0
        self.batch = (_abi.omnirtc_event_t * BATCH)()
        self.signaling_taken = 0  # SIGNALING_STATE events taken from the queue
        self.tracks_taken = 0  # TRACK events taken from the queue

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
                self._deliver(_copy(e))
            if count.value < BATCH:  # the queue is empty: the library notifies again
                return
        self.loop.call_soon(self.drain)

    def describe(self, handle: int, local: int, kind: bytes | None, sdp: bytes | None) -> None:  # on the loop
        """A description call (omnirtc_peer_set_description), then the queued
        events up to the last signaling state event the call queued, which
        the library reports: the W3C fires signalingstatechange before the
        call resolves (webrtc-pc 4.4.1.5), an implicit rollback's stable too,
        and up to the last track event it queued: a remote description's
        track events fire before the call resolves too (webrtc-pc 4.4.1.6)."""
        changes = _abi.omnirtc_signaling_changes_t()
        _native.check(_native.lib.omnirtc_peer_set_description(handle, local, kind, sdp, ctypes.byref(changes)))
        count = ctypes.c_size_t()
        while self.signaling_taken < changes.last_event or self.tracks_taken < changes.track_events:
            if _native.lib.omnirtc_peer_poll_events(self.handle, self.batch, 1, ctypes.byref(count)) or not count.value:
                return
            self._deliver(_copy(self.batch[0]))

    def _deliver(self, event: Event) -> None:
        if event.type == _abi.OMNIRTC_EVENT_SIGNALING_STATE:
            self.signaling_taken += 1
        if event.type == _abi.OMNIRTC_EVENT_TRACK:
            self.tracks_taken += 1
        if event.type == _abi.OMNIRTC_EVENT_PEER_CLOSED:
            _inboxes.pop(self.token, None)
        owner = self.owner()
        if owner is not None:
            try:
                self.handler(owner, event)
            except Exception as exc:  # noqa: BLE001 - never fatal
                self.loop.call_exception_handler({"message": "omnirtc event handler failed", "exception": exc})


_inboxes: dict[int, Inbox] = {}
_tokens = itertools.count(1)


def register(inbox: Inbox) -> int:
    inbox.token = next(_tokens)
    _inboxes[inbox.token] = inbox
    return inbox.token


def _decode(value: bytes) -> str:
    return value.decode("utf-8", "replace")


def _copy(e: Any) -> Event:
    """The event as Python values: what it points to is the library's until the next poll."""
    t = e.type
    if t == _abi.OMNIRTC_EVENT_CHANNEL_MESSAGE:
        m = e.message
        return Event(t, channel=m.channel, data=ctypes.string_at(m.data, m.size), binary=bool(m.binary))
    if t in _CHANNEL_ONLY:
        c = e.channel
        return Event(t, channel=c.channel, info_json=_decode(c.info_json) or "{}")  # "": not an open
    if t == _abi.OMNIRTC_EVENT_ICE_CANDIDATE:
        c = e.ice_candidate
        return Event(t, candidate=_decode(c.candidate), sdp_mid=_decode(c.sdp_mid), sdp_mline_index=c.sdp_mline_index)
    if t in _STATES:
        return Event(t, state=e.state.value, gathering=e.state.gathering)
    if t == _abi.OMNIRTC_EVENT_CHANNEL_ERROR:
        return Event(t, channel=e.channel_error.channel, error=_decode(e.channel_error.message))
    if t == _abi.OMNIRTC_EVENT_TRACK:
        r = e.track
        return Event(t, track=r.track, transceiver=r.transceiver, rid=_decode(r.rid), info_json=_decode(r.info_json))
    if t == _abi.OMNIRTC_EVENT_TRACK_RTP:
        p = e.rtp
        return Event(
            t,
            track=p.track,
            data=ctypes.string_at(p.data, p.size),
            rtp_timestamp=p.rtp_timestamp,
            layer=(p.spatial_id, p.temporal_id, p.keyframe, p.switch_point),
        )
    if t == _abi.OMNIRTC_EVENT_TRACK_FRAME:
        f = e.frame
        return Event(
            t,
            track=f.track,
            data=ctypes.string_at(f.data, f.size),
            rtp_timestamp=f.rtp_timestamp,
            keyframe=bool(f.keyframe),
            packets_dropped=f.packets_dropped,
        )
    if t == _abi.OMNIRTC_EVENT_TRACK_ENDED:
        return Event(t, track=e.track_ended.track)
    if t in (_abi.OMNIRTC_EVENT_TRACK_MUTE, _abi.OMNIRTC_EVENT_TRACK_UNMUTE):
        return Event(t, track=e.track_mute.track)
    if t == _abi.OMNIRTC_EVENT_KEYFRAME_REQUEST:
        k = e.keyframe_request
        return Event(t, transceiver=k.transceiver, rid=_decode(k.rid), keyframe_kind=k.kind)
    if t == _abi.OMNIRTC_EVENT_TARGET_BITRATE:
        b = e.target_bitrate
        return Event(t, bits_per_second=b.bits_per_second, streams_json=_decode(b.streams_json))
    if t == _abi.OMNIRTC_EVENT_DTMF_TONE_CHANGE:
        c = e.dtmf_tone_change
        return Event(t, transceiver=c.transceiver, tone=_decode(c.tone))
    if t == _abi.OMNIRTC_EVENT_DTMF_TONE:
        d = e.dtmf_tone
        return Event(t, track=d.track, tone=_decode(d.tone), duration_ms=d.duration_ms)
    if t == _abi.OMNIRTC_EVENT_TRANSPORT_STATE:
        return Event(t, transport=e.transport_state.transport, state=e.transport_state.value)
    if t == _abi.OMNIRTC_EVENT_SELECTED_CANDIDATE_PAIR:
        p = e.selected_pair
        return Event(t, candidate=_decode(p.local), remote_candidate=_decode(p.remote))
    return Event(t)  # NEGOTIATION_NEEDED, PEER_CLOSED: the type says it all


@_abi.omnirtc_notify_cb
def _on_notify(user_data: int | None, peer: int) -> None:
    try:
        inbox = _inboxes.get(user_data or 0)
        if inbox is not None:
            inbox.wake()
    except BaseException:  # noqa: BLE001 - a Go thread must never see a Python exception
        pass


notify = _on_notify
