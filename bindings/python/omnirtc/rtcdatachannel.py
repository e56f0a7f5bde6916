"""RTCDataChannel: events ``open``, ``message``, ``bufferedamountlow``, ``error``,
``closing`` and ``close``, as in aiortc and the W3C API."""

from __future__ import annotations

import json
from typing import Any, Callable

from . import _abi, _native
from .events import EventEmitter
from .exceptions import InvalidHandleError, InvalidStateError, RTCError

STATES = {
    _abi.OMNIRTC_CHANNEL_CONNECTING: "connecting",
    _abi.OMNIRTC_CHANNEL_OPEN: "open",
    _abi.OMNIRTC_CHANNEL_CLOSING: "closing",
    _abi.OMNIRTC_CHANNEL_CLOSED: "closed",
}
_ORDER = ("connecting", "open", "closing", "closed")


class RTCDataChannel(EventEmitter):
    """A data channel (W3C ``RTCDataChannel``, webrtc-pc 6.2; aiortc's). Create one with
    :meth:`RTCPeerConnection.createDataChannel`; the remote's arrive through the peer connection's ``datachannel``
    event. Events: ``open``, ``message`` (str for text, bytes for binary), ``bufferedamountlow``, ``error`` (an
    :class:`RTCError`), ``closing`` and ``close``."""

    def __init__(self, handle: int, info_json: str | None = None) -> None:
        """The channel of a library handle; made by RTCPeerConnection, not by user code."""
        super().__init__()
        self._handle = handle
        # readyState is the library's state (closing until it hands over the
        # close event: webrtc-pc 6.2), except while an event is emitted, whose
        # handlers see the state it reports (_shown), and never behind _state,
        # the state the events and close() have reported.
        self._state = "connecting"
        self._shown: str | None = None
        self._info: dict[str, Any] = {}
        if info_json is None:
            self._refresh()
        else:  # a remote channel's, from its event: the library may have released it since
            self._info = json.loads(info_json)

    def _refresh(self) -> None:
        if self._state != "closed":
            info = _native.call_string(_native.lib.omnirtc_channel_get_info, self._handle)
            self._info = json.loads(info or "{}")

    # --- attributes -------------------------------------------------------
    @property
    def label(self) -> str:
        """W3C ``label``: the name given at creation."""
        return str(self._info.get("label", ""))

    @property
    def id(self) -> int | None:
        """W3C ``id``: the SCTP stream id, None until the DTLS role is negotiated."""
        if self._info.get("id") is None and self._state != "closed":
            self._refresh()
        return self._info.get("id")

    @property
    def protocol(self) -> str:
        """W3C ``protocol``: the subprotocol given at creation."""
        return str(self._info.get("protocol", ""))

    @property
    def ordered(self) -> bool:
        """W3C ``ordered``: whether messages arrive in order."""
        return bool(self._info.get("ordered", True))

    @property
    def maxRetransmits(self) -> int | None:
        """W3C ``maxRetransmits``: retransmissions allowed per message, or None."""
        return self._info.get("maxRetransmits")

    @property
    def maxPacketLifeTime(self) -> int | None:
        """W3C ``maxPacketLifeTime``: ms a message may be retransmitted for, or None."""
        return self._info.get("maxPacketLifeTime")

    @property
    def negotiated(self) -> bool:
        """W3C ``negotiated``: whether the application negotiated the channel (with an id)."""
        return bool(self._info.get("negotiated", False))

    @property
    def readyState(self) -> str:
        """W3C ``readyState``: "connecting", "open", "closing" or "closed"."""
        if self._state == "closed":
            return "closed"
        if self._shown is not None:
            return self._shown
        try:
            getter = _native.lib.omnirtc_channel_get_ready_state
            live = STATES[int(_native.call_value(getter, self._handle))]
        except InvalidHandleError:
            live = "closed"  # released with its close event
        return max(live, self._state, key=_ORDER.index)

    def _showing(self, state: str, emit: Callable[[], None]) -> None:
        """Run emit (which emits an event) while readyState says state."""
        previous, self._shown = self._shown, state
        try:
            emit()
        finally:
            self._shown = previous

    @property
    def bufferedAmount(self) -> int:
        """W3C ``bufferedAmount``: bytes queued by :meth:`send` and not yet sent."""
        if self._state == "closed":
            return 0
        return int(_native.call_value(_native.lib.omnirtc_channel_get_buffered_amount, self._handle))

    @property
    def bufferedAmountLowThreshold(self) -> int:
        """W3C ``bufferedAmountLowThreshold``, bytes: ``bufferedamountlow`` fires when :attr:`bufferedAmount` falls to
        it or below. Setting raises TypeError for a non-int, ValueError outside 0..2**64-1."""
        if self._state == "closed":
            return int(self._info.get("bufferedAmountLowThreshold", 0))
        return int(
            _native.call_value(
                _native.lib.omnirtc_channel_get_buffered_amount_low_threshold, self._handle
            )
        )

    @bufferedAmountLowThreshold.setter
    def bufferedAmountLowThreshold(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("bufferedAmountLowThreshold must be an int")
        if value < 0 or value > 2**64 - 1:
            raise ValueError("bufferedAmountLowThreshold must be between 0 and 2**64-1")
        if self._state != "closed":
            _native.check(_native.lib.omnirtc_channel_set_buffered_amount_low_threshold(self._handle, value))
        self._info["bufferedAmountLowThreshold"] = value

    # --- methods ----------------------------------------------------------
    def send(self, data: str | bytes | bytearray | memoryview) -> None:
        """Send a message (W3C ``send``): ``str`` as text, bytes-like as binary; never blocks.

        Raises TypeError for other data, InvalidStateError when the channel is not open, TooLargeError (a ValueError)
        over the SCTP transport's maxMessageSize, OperationError when the buffered amount would pass the library's
        maximum (nothing is queued)."""
        if isinstance(data, str):
            payload, binary = data.encode("utf-8"), 0
        elif isinstance(data, (bytes, bytearray, memoryview)):
            payload, binary = bytes(data), 1
        else:
            raise TypeError(f"Data must be str or bytes, not {type(data).__name__}")
        # The library says whether it is open now (INVALID_STATE if not); a
        # released handle is a closed channel.
        try:
            _native.check(_native.lib.omnirtc_channel_send(self._handle, payload, len(payload), binary))
        except InvalidHandleError as error:
            raise InvalidStateError("RTCDataChannel is closed") from error

    def close(self) -> None:
        """Start closing (W3C ``close``); ``close`` fires once both sides are done. Idempotent."""
        if self.readyState in ("closing", "closed"):
            return
        self._state = "closing"
        try:
            _native.check(_native.lib.omnirtc_channel_close(self._handle))
        except InvalidHandleError:
            self._state = "closed"

    # --- events from the peer connection ------------------------------------
    def _on_event(self, event: Any) -> None:
        t = event.type
        if t == _abi.OMNIRTC_EVENT_CHANNEL_OPEN:
            self._state = "open"
            self._info = json.loads(event.info_json)  # the id is known now; the handle may be gone
            self._showing("open", lambda: self.emit("open"))
        elif t == _abi.OMNIRTC_EVENT_CHANNEL_MESSAGE:
            data = event.data if event.binary else event.data.decode("utf-8")
            self.emit("message", data)
        elif t == _abi.OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW:
            self.emit("bufferedamountlow")
        elif t == _abi.OMNIRTC_EVENT_CHANNEL_ERROR:
            self.emit("error", RTCError(event.error, errorDetail="data-channel-failure"))
        elif t == _abi.OMNIRTC_EVENT_CHANNEL_CLOSING:
            self._state = "closing"
            self._showing("closing", lambda: self.emit("closing"))
        elif t == _abi.OMNIRTC_EVENT_CHANNEL_CLOSE:
            self._closed()

    def _closed(self) -> None:
        if self._state != "closed":
            self._state = "closed"
            self.emit("close")
