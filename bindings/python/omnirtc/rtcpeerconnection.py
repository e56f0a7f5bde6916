"""RTCPeerConnection with aiortc's asyncio API.

Events: ``datachannel``, ``track``, ``icecandidate``, ``icegatheringstatechange``,
``iceconnectionstatechange``, ``connectionstatechange``, ``signalingstatechange``,
``negotiationneeded`` and, with the "gcc" or "remb" interceptor, ``targetbitrate``
(a :class:`BitrateTarget`).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import weakref
from collections.abc import Mapping
from typing import Any

from . import _abi, _bridge, _native, logs
from .bitratetarget import BitrateTarget
from .events import EventEmitter
from .exceptions import InvalidHandleError, InvalidStateError
from .framesender import FrameSender
from .mediastreams import EncodedFrame, LocalTrack, RemoteStreamTrack, RTPPacket
from .rtcconfiguration import RTCConfiguration
from .rtcdatachannel import RTCDataChannel
from .rtcicecandidate import RTCIceCandidate, candidate_from_sdp, candidate_to_sdp
from .rtcrtptransceiver import RTCRtpReceiver, RTCRtpSender, RTCRtpTransceiver
from .rtcsessiondescription import RTCSessionDescription
from .rtctransports import PeerTransports, RTCSctpTransport

SIGNALING = {
    _abi.OMNIRTC_SIGNALING_STABLE: "stable",
    _abi.OMNIRTC_SIGNALING_HAVE_LOCAL_OFFER: "have-local-offer",
    _abi.OMNIRTC_SIGNALING_HAVE_REMOTE_OFFER: "have-remote-offer",
    _abi.OMNIRTC_SIGNALING_HAVE_LOCAL_PRANSWER: "have-local-pranswer",
    _abi.OMNIRTC_SIGNALING_HAVE_REMOTE_PRANSWER: "have-remote-pranswer",
    _abi.OMNIRTC_SIGNALING_CLOSED: "closed",
}
GATHERING = {
    _abi.OMNIRTC_ICE_GATHERING_NEW: "new",
    _abi.OMNIRTC_ICE_GATHERING_GATHERING: "gathering",
    _abi.OMNIRTC_ICE_GATHERING_COMPLETE: "complete",
}
ICE_CONNECTION = {
    _abi.OMNIRTC_ICE_CONNECTION_NEW: "new",
    _abi.OMNIRTC_ICE_CONNECTION_CHECKING: "checking",
    _abi.OMNIRTC_ICE_CONNECTION_CONNECTED: "connected",
    _abi.OMNIRTC_ICE_CONNECTION_COMPLETED: "completed",
    _abi.OMNIRTC_ICE_CONNECTION_DISCONNECTED: "disconnected",
    _abi.OMNIRTC_ICE_CONNECTION_FAILED: "failed",
    _abi.OMNIRTC_ICE_CONNECTION_CLOSED: "closed",
}
CONNECTION = {
    _abi.OMNIRTC_PEER_NEW: "new",
    _abi.OMNIRTC_PEER_CONNECTING: "connecting",
    _abi.OMNIRTC_PEER_CONNECTED: "connected",
    _abi.OMNIRTC_PEER_DISCONNECTED: "disconnected",
    _abi.OMNIRTC_PEER_FAILED: "failed",
    _abi.OMNIRTC_PEER_CLOSED: "closed",
}

KEYFRAME_KINDS = {_abi.OMNIRTC_KEYFRAME_PLI: "pli", _abi.OMNIRTC_KEYFRAME_FIR: "fir"}


class RTCStats(dict[str, Any]):
    """One stats dictionary; keys are also attributes (``stats.type``)."""

    def __getattr__(self, name: str) -> Any:
        """The value of key ``name``; AttributeError when there is none."""
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class RTCSctpTransportStats(RTCStats):
    """The ``sctp-transport`` entry (W3C ``RTCSctpTransportStats``): the sending side of the data channels' SCTP
    association, one snapshot. Names without a W3C one are ours; ``omnirtc_peer_get_stats`` in omnirtc.h says what
    each counts. Sizes in bytes, counters since the association started."""

    transportId: str
    smoothedRoundTripTime: float  # seconds; 0 before a measurement
    congestionWindow: int
    receiverWindow: int  # the peer's
    mtu: int
    unackData: int  # DATA chunks
    slowStartThreshold: int
    bytesInFlight: int
    localReceiverWindow: int  # ours, as our SACKs advertise it
    retransmittedChunks: int
    retransmittedBytes: int
    fastRetransmissions: int  # chunks
    retransmissionTimeouts: int  # T3-rtx expirations
    rackLostChunks: int


# The stats types that have a class of their own (the rest are RTCStats).
_STATS_CLASSES: dict[str, type[RTCStats]] = {"sctp-transport": RTCSctpTransportStats}


class RTCStatsReport(dict[str, RTCStats]):
    """Stats by id, as returned by :meth:`RTCPeerConnection.getStats` (W3C ``RTCStatsReport``, aiortc's): each value is
    an RTCStats dictionary with ``type``, ``id`` and ``timestamp`` (ms)."""


def _owning_loop() -> asyncio.AbstractEventLoop:
    """The running loop, else the thread's current one (made if there is none)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    try:
        return asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop


def _close_handle(handle: int) -> None:
    # A collected peer connection is closed; INVALID_HANDLE means it already was.
    _native.lib.omnirtc_peer_close(handle)


class RTCPeerConnection(EventEmitter):
    """A WebRTC peer connection (W3C ``RTCPeerConnection``, webrtc-pc 4.4; aiortc's).

    Create it inside a running event loop (or pass none and create it where ``asyncio.get_event_loop()`` is the loop
    that will run it): its events are delivered on that loop: ``datachannel``, ``track``, ``icecandidate``,
    ``icegatheringstatechange``, ``iceconnectionstatechange``, ``connectionstatechange``, ``signalingstatechange``,
    ``negotiationneeded`` and, with the "gcc" or "remb" interceptor, ``targetbitrate`` (a :class:`BitrateTarget`)."""

    def __init__(self, configuration: RTCConfiguration | None = None) -> None:
        """A peer connection with ``configuration`` (default: no ICE servers). Raises TypeError for a
        non-RTCConfiguration, and as ``omnirtc_peer_create``: InvalidConfigError (a bad key or value), TooLargeError
        (over 1 MiB of JSON), InvalidSyntaxError (an ICE server URL that does not parse), InvalidAccessError (a TURN
        URL without username or credential, an expired certificate), NotSupportedError
        (``rtcpMuxPolicy="negotiate"``)."""
        super().__init__()
        if configuration is not None and not isinstance(configuration, RTCConfiguration):
            raise TypeError(f"configuration must be RTCConfiguration, not {type(configuration).__name__}")
        self._configuration = configuration or RTCConfiguration()
        self._loop = loop = _owning_loop()
        # The states the attributes give: the library's, read when asked, so
        # each is current as soon as the call that changed it returns; while a
        # state event is emitted, the state it reports (_shown), so its
        # handlers see that one; after close(), _final.
        self._shown: dict[str, str] = {}
        self._final: dict[str, str] | None = None
        self._closed = False
        self._channels: dict[int, RTCDataChannel] = {}
        self._transceivers: dict[int, RTCRtpTransceiver] = {}
        self._remote_tracks: dict[int, RemoteStreamTrack] = {}
        self._receive = "decoded"  # setTrackReceive's mode, for the remote tracks to come
        # The last gathering whose end-of-candidates event was emitted, and the
        # one whose "complete" state came (its end-of-candidates follows).
        self._gathered = 0
        self._completing = 0
        self._gathering_changed = asyncio.Event()
        self._inbox = _bridge.Inbox(loop, self, RTCPeerConnection._on_event)
        token = _bridge.register(self._inbox)
        handle = _abi.omnirtc_peer_t()
        logs.sync_log_level()
        _native.check(
            _native.lib.omnirtc_peer_create_polled(
                self._configuration.to_json().encode(), _bridge.notify, token, ctypes.byref(handle)
            )
        )
        self._handle = self._inbox.handle = handle.value
        self._finalizer = weakref.finalize(self, _close_handle, self._handle)
        self._transports = PeerTransports(self._live)

    @property
    def sctp(self) -> RTCSctpTransport | None:
        """The SCTP transport (W3C ``RTCPeerConnection.sctp``), None until an answer negotiated SCTP (an m=application
        section)."""
        return self._transports.sctp

    # --- attributes -------------------------------------------------------
    @property
    def signalingState(self) -> str:
        """W3C ``signalingState``: "stable", "have-local-offer", "have-remote-offer", "have-local-pranswer",
        "have-remote-pranswer" or "closed"."""
        return self._state("signaling", _native.lib.omnirtc_peer_get_signaling_state, SIGNALING)

    @property
    def iceGatheringState(self) -> str:
        """W3C ``iceGatheringState``: "new", "gathering" or "complete"."""
        return self._state("gathering", _native.lib.omnirtc_peer_get_ice_gathering_state, GATHERING)

    @property
    def iceConnectionState(self) -> str:
        """W3C ``iceConnectionState``: "new", "checking", "connected", "completed", "disconnected", "failed" or
        "closed"."""
        return self._state("ice", _native.lib.omnirtc_peer_get_ice_connection_state, ICE_CONNECTION)

    @property
    def connectionState(self) -> str:
        """W3C ``connectionState``: "new", "connecting", "connected", "disconnected", "failed" or "closed"."""
        return self._state("connection", _native.lib.omnirtc_peer_get_connection_state, CONNECTION)

    def _state(self, key: str, getter: Any, names: Mapping[int, str]) -> str:
        if self._final is not None:
            return self._final[key]
        shown = self._shown.get(key)
        if shown is not None:
            return shown
        return names[int(_native.call_value(getter, self._handle))]

    def _emit_state(self, key: str, value: str, event: str) -> None:
        """Emit a state event while the attribute of `key` says `value`."""
        previous = self._shown.get(key)
        self._shown[key] = value
        try:
            self.emit(event)
        finally:
            if previous is None:
                del self._shown[key]
            else:
                self._shown[key] = previous

    def _description(self, which: int) -> RTCSessionDescription | None:
        if self._closed:
            return None
        typ, sdp = ctypes.c_void_p(), ctypes.c_void_p()
        _native.check(
            _native.lib.omnirtc_peer_get_description(self._handle, which, ctypes.byref(typ), ctypes.byref(sdp))
        )
        typ_text, sdp_text = _native.take_string(typ), _native.take_string(sdp)
        return RTCSessionDescription(sdp_text, typ_text) if sdp_text is not None and typ_text else None

    @property
    def localDescription(self) -> RTCSessionDescription | None:
        """W3C ``localDescription``: the pending local description, else the current one, with the candidates gathered
        so far; None before any (and after close)."""
        return self._description(_abi.OMNIRTC_DESCRIPTION_LOCAL)

    @property
    def remoteDescription(self) -> RTCSessionDescription | None:
        """W3C ``remoteDescription``: the pending remote description, else the current one; None before any (and after
        close)."""
        return self._description(_abi.OMNIRTC_DESCRIPTION_REMOTE)

    # The W3C current/pending descriptions (aiortc has only the two above).
    @property
    def currentLocalDescription(self) -> RTCSessionDescription | None:
        """W3C ``currentLocalDescription``: the local description of the last completed negotiation, or None (aiortc has
        no such attribute)."""
        return self._description(_abi.OMNIRTC_DESCRIPTION_CURRENT_LOCAL)

    @property
    def pendingLocalDescription(self) -> RTCSessionDescription | None:
        """W3C ``pendingLocalDescription``: the local description of a negotiation in progress, or None."""
        return self._description(_abi.OMNIRTC_DESCRIPTION_PENDING_LOCAL)

    @property
    def currentRemoteDescription(self) -> RTCSessionDescription | None:
        """W3C ``currentRemoteDescription``: the remote description of the last completed negotiation, or None."""
        return self._description(_abi.OMNIRTC_DESCRIPTION_CURRENT_REMOTE)

    @property
    def pendingRemoteDescription(self) -> RTCSessionDescription | None:
        """W3C ``pendingRemoteDescription``: the remote description of a negotiation in progress, or None."""
        return self._description(_abi.OMNIRTC_DESCRIPTION_PENDING_REMOTE)

    def _live(self) -> int:
        if self._closed:
            raise InvalidStateError("RTCPeerConnection is closed")
        return self._handle

    # --- negotiation --------------------------------------------------------
    async def createOffer(self, iceRestart: bool = False) -> RTCSessionDescription:
        """Create an SDP offer (W3C ``createOffer``; ``iceRestart`` as in RTCOfferOptions). Raises InvalidStateError
        once the peer connection is closed."""
        options = json.dumps({"iceRestart": bool(iceRestart)}).encode()
        sdp = _native.call_string(_native.lib.omnirtc_peer_create_offer, self._live(), options)
        return RTCSessionDescription(sdp or "", "offer")

    async def createAnswer(self) -> RTCSessionDescription:
        """Create an SDP answer to the remote offer (W3C ``createAnswer``). Raises InvalidStateError without a remote
        offer, or once closed."""
        sdp = _native.call_string(_native.lib.omnirtc_peer_create_answer, self._live(), None)
        return RTCSessionDescription(sdp or "", "answer")

    async def setLocalDescription(self, sessionDescription: RTCSessionDescription | None = None) -> None:
        """Apply a local description (W3C ``setLocalDescription``; without one, create the offer or answer the signaling
        state calls for), then, as aiortc does, wait until ICE gathering completes so that :attr:`localDescription`
        carries every candidate; the ``icecandidate`` events of that gathering have been emitted when it returns.

        Raises TypeError for a non-RTCSessionDescription, InvalidSdpError (malformed SDP), InvalidStateError (the
        wrong signaling state, a rollback without a pending offer, closed), InvalidArgumentError (an unknown type)."""
        if sessionDescription is None:
            self._inbox.describe(self._live(), 1, None, None)
        else:
            self._check_description(sessionDescription)
            self._inbox.describe(
                self._live(), 1, sessionDescription.type.encode(), _native.encode(sessionDescription.sdp, "sdp")
            )
        # The library counts a gathering before the call that starts it returns;
        # a remote offer that restarts ICE starts one before this call.
        started = self._gatherings()
        if started > self._gathered:
            await self._gathered_until(started)

    def _gatherings(self) -> int:
        return int(_native.call_value(_native.lib.omnirtc_peer_get_gatherings, self._handle))

    async def _gathered_until(self, gathering: int) -> None:
        """Wait for the end-of-candidates event of that gathering (or close)."""
        while not self._closed and self._gathered < gathering:
            self._gathering_changed.clear()
            await self._gathering_changed.wait()

    async def setRemoteDescription(self, sessionDescription: RTCSessionDescription) -> None:
        """Apply the remote peer's description (W3C ``setRemoteDescription``); an offer in "have-local-offer" rolls the
        local one back first. Remote data channels arrive as ``datachannel`` events once open.

        Raises TypeError for a non-RTCSessionDescription, InvalidSdpError, InvalidStateError (the wrong signaling
        state, closed), InvalidAccessError (an audio or video section without a=rtcp-mux, which
        ``rtcpMuxPolicy="require"`` refuses), TooLargeError (its candidates would pass the limit of remote
        candidates), InvalidArgumentError."""
        self._check_description(sessionDescription)
        self._inbox.describe(
            self._live(), 0, sessionDescription.type.encode(), _native.encode(sessionDescription.sdp, "sdp")
        )

    @staticmethod
    def _check_description(description: Any) -> None:
        if not isinstance(description, RTCSessionDescription):
            raise TypeError(f"expected RTCSessionDescription, not {type(description).__name__}")

    async def addIceCandidate(self, candidate: RTCIceCandidate | None) -> None:
        """Add a remote candidate (W3C ``addIceCandidate``); ``None`` signals the end of candidates.

        Raises TypeError for a non-RTCIceCandidate, InvalidCandidateError (malformed, or no such sdpMid or
        sdpMLineIndex), InvalidArgumentError (neither sdpMid nor sdpMLineIndex), InvalidStateError (no remote
        description yet, closed), TooLargeError (a new candidate past the limit of remote candidates)."""
        if candidate is None:
            _native.check(_native.lib.omnirtc_peer_add_ice_candidate(self._live(), None, None, -1))
            return
        if not isinstance(candidate, RTCIceCandidate):
            raise TypeError(f"expected RTCIceCandidate, not {type(candidate).__name__}")
        line = "candidate:" + candidate_to_sdp(candidate)
        mid = candidate.sdpMid.encode() if candidate.sdpMid is not None else None
        index = candidate.sdpMLineIndex if candidate.sdpMLineIndex is not None else -1
        encoded = _native.encode(line, "candidate")
        _native.check(_native.lib.omnirtc_peer_add_ice_candidate(self._live(), encoded, mid, index))

    def restartIce(self) -> None:
        """Request an ICE restart (W3C ``restartIce``): the next offer carries new ICE credentials;
        ``negotiationneeded`` follows. Raises InvalidStateError once the peer connection is closed."""
        _native.check(_native.lib.omnirtc_peer_restart_ice(self._live()))

    def getConfiguration(self) -> RTCConfiguration:
        """W3C ``getConfiguration`` (webrtc-pc 4.4.1.6), as the library reports it (after close, the last one)."""
        if self._closed:
            return self._configuration
        text = _native.call_string(_native.lib.omnirtc_peer_get_configuration, self._live())
        return RTCConfiguration.from_json(text or "{}")

    def setConfiguration(self, configuration: RTCConfiguration) -> None:
        """W3C ``setConfiguration`` (webrtc-pc 4.4.1.6, "set a configuration"): ``iceServers`` and
        ``iceTransportPolicy`` may change, used from the next gathering; nothing changes on error.

        Raises TypeError for a non-RTCConfiguration, InvalidModificationError (certificates, bundlePolicy,
        rtcpMuxPolicy, the ``omnirtc`` section or, after a local description, iceCandidatePoolSize differ),
        NotSupportedError (an ICE server's ``omnirtc.caCertificates`` changed), and as the constructor:
        InvalidSyntaxError, InvalidAccessError, InvalidConfigError, TooLargeError; InvalidStateError once the peer
        connection is closed."""
        if not isinstance(configuration, RTCConfiguration):
            raise TypeError(f"configuration must be RTCConfiguration, not {type(configuration).__name__}")
        _native.check(_native.lib.omnirtc_peer_set_configuration(self._live(), configuration.to_json().encode()))
        self._configuration = self.getConfiguration()

    async def getStats(self) -> RTCStatsReport:
        """The W3C stats (``getStats``, webrtc-pc 8.2) of the connection, its transports, candidates, candidate pairs,
        data channels and certificates, by id; see "type" in each. Raises InvalidStateError once the peer connection
        is closed."""
        text = _native.call_string(_native.lib.omnirtc_peer_get_stats, self._live())
        return RTCStatsReport(
            {k: _STATS_CLASSES.get(v.get("type"), RTCStats)(v) for k, v in json.loads(text or "{}").items()}
        )

    def createDataChannel(
        self,
        label: str,
        maxPacketLifeTime: int | None = None,
        maxRetransmits: int | None = None,
        ordered: bool = True,
        protocol: str = "",
        negotiated: bool = False,
        id: int | None = None,
    ) -> RTCDataChannel:
        """Create a data channel (W3C ``createDataChannel``, aiortc's arguments): the RTCDataChannelInit options,
        ``maxPacketLifeTime`` in ms, ``maxRetransmits`` and ``maxPacketLifeTime`` exclusive, ``negotiated=True``
        needing ``id`` (0..65534), ``label`` at most 65535 bytes of UTF-8.

        Raises TypeError for a non-int number, InvalidArgumentError (a ValueError) for a rule the library refuses
        (the message names it), InvalidStateError once the peer is closed or closing."""
        for name, value in (("maxPacketLifeTime", maxPacketLifeTime), ("maxRetransmits", maxRetransmits), ("id", id)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError(f"{name} must be an int")
        init: dict[str, Any] = {"ordered": bool(ordered), "protocol": protocol, "negotiated": bool(negotiated)}
        for name, value in (("maxPacketLifeTime", maxPacketLifeTime), ("maxRetransmits", maxRetransmits), ("id", id)):
            if value is not None:
                init[name] = value
        _native.encode(protocol, "protocol")
        handle = _abi.omnirtc_channel_t()
        _native.check(
            _native.lib.omnirtc_channel_create(
                self._live(), _native.encode(label, "label"), json.dumps(init).encode(), ctypes.byref(handle)
            )
        )
        channel = RTCDataChannel(handle.value)
        self._channels[handle.value] = channel
        return channel

    # --- media ---------------------------------------------------------------
    def setTrackReceive(self, mode: str = "decoded", maxLate: int | None = None, maxDelayMs: int | None = None) -> None:
        """What ``recv()`` of the remote tracks that arrive from now on returns:
        ``"decoded"`` (the default, as aiortc: ``av`` frames; needs PyAV,
        ``pip install omnirtc[media]``), ``"frames"`` (:class:`EncodedFrame`,
        what ``recvEncoded()`` gives in any mode), ``"rtp"`` (packet bytes) or
        ``"none"`` (nothing); maxLate / maxDelayMs bound the wait for a
        retransmitted packet in the decoded and frames modes. The library
        delivers frames in both; decoding is the track's, in Python (OmniRTC's,
        no W3C counterpart).

        Raises InvalidArgumentError (a ValueError) for a bad mode or bound,
        InvalidStateError once the peer connection is closed."""
        options: dict[str, Any] = {"mode": "frames" if mode == "decoded" else mode}
        if maxLate is not None:
            options["maxLate"] = maxLate
        if maxDelayMs is not None:
            options["maxDelayMs"] = maxDelayMs
        _native.check(_native.lib.omnirtc_peer_set_track_receive(self._live(), json.dumps(options).encode()))
        self._receive = mode

    def _transceiver(self, handle: int, track: LocalTrack | None = None) -> RTCRtpTransceiver:
        transceiver = self._transceivers.get(handle)
        if transceiver is None:
            transceiver = self._transceivers[handle] = RTCRtpTransceiver(handle, track, self._transports)
        elif track is not None:
            transceiver.sender.track = track
        return transceiver

    def addTrack(self, track: Any) -> RTCRtpSender:
        """Send a local track (W3C ``addTrack``); returns its sender. A track that is not a :class:`LocalTrack`
        (aiortc's contract: ``kind``, ``async recv()`` returning ``av`` frames) is encoded as VP8 or Opus (needs
        PyAV, ``pip install omnirtc[media]``; see framesender.py); ``negotiationneeded`` follows.

        Raises OperationError when a sender of this peer already carries the track (W3C InvalidAccessError),
        TypeError for an object that is no track, InvalidHandleError for a stopped LocalTrack, InvalidStateError once
        the peer connection is closed."""
        local, frames = self._sendable(track)
        handle = _abi.omnirtc_transceiver_t()
        _native.check(_native.lib.omnirtc_peer_add_track(self._live(), local._handle, ctypes.byref(handle)))
        sender = self._transceiver(handle.value, local).sender
        if frames:
            frames.attach(sender)
        return sender

    def _sendable(self, track: Any) -> tuple[LocalTrack, FrameSender | None]:
        """A LocalTrack as it is; any other track (of av frames) through a FrameSender."""
        if isinstance(track, LocalTrack):
            return track, None
        frames = FrameSender(self, track)
        return frames.local, frames

    def addTransceiver(
        self, trackOrKind: Any, direction: str = "sendrecv", sendEncodings: list[dict[str, Any]] | None = None
    ) -> RTCRtpTransceiver:
        """Add a transceiver (W3C ``addTransceiver``) for a kind ("audio"/"video"), a :class:`LocalTrack` or a track of
        av frames (as :meth:`addTrack`); ``direction`` is W3C's; ``sendEncodings`` (dicts with rid, active,
        maxBitrate in bits/s, scaleResolutionDownBy, scalabilityMode) sends a track created with those rids as
        simulcast; a scalabilityMode (W3C webrtc-svc, "L3T3_KEY") is kept for the application's encoder.

        Raises InvalidArgumentError (a bad kind, direction or encoding, a kind/track mismatch), OperationError (a
        scalabilityMode the codec cannot send), InvalidHandleError (a stopped LocalTrack), InvalidStateError once the
        peer connection is closed."""
        init: dict[str, Any] = {"direction": direction}
        if sendEncodings:
            init["sendEncodings"] = sendEncodings
        track, frames = self._sendable(trackOrKind) if not isinstance(trackOrKind, str) else (None, None)
        kind = None if track is not None else _native.encode(trackOrKind, "kind")
        handle = _abi.omnirtc_transceiver_t()
        _native.check(
            _native.lib.omnirtc_peer_add_transceiver(
                self._live(), kind, track._handle if track else 0, json.dumps(init).encode(), ctypes.byref(handle)
            )
        )
        transceiver = self._transceiver(handle.value, track)
        if frames:
            frames.attach(transceiver.sender)
        return transceiver

    def removeTrack(self, sender: RTCRtpSender) -> None:
        """Stop sending the sender's track (W3C ``removeTrack``); the transceiver stays, and ``negotiationneeded``
        follows. Raises InvalidStateError once the peer is closed."""
        _native.check(_native.lib.omnirtc_peer_remove_track(self._live(), sender._transceiver._handle))
        if sender._frames is not None:
            sender._frames.close()
            sender._frames = None
        sender.track = None

    def getTransceivers(self) -> list[RTCRtpTransceiver]:
        """W3C ``getTransceivers``: every transceiver, in creation order (without those a rollback removed)."""
        return [t for t in self._transceivers.values() if not t._info()["removed"]]

    def getSenders(self) -> list[RTCRtpSender]:
        """W3C ``getSenders``: the sender of each transceiver."""
        return [t.sender for t in self.getTransceivers()]

    def getReceivers(self) -> list[RTCRtpReceiver]:
        """W3C ``getReceivers``: the receiver of each transceiver."""
        return [t.receiver for t in self.getTransceivers()]

    def _on_media_event(self, event: _bridge.Event) -> None:
        t = event.type
        if t == _abi.OMNIRTC_EVENT_TRACK:
            # muted until its first packet; announced again (the same track) when its remote sends it again
            track = self._remote_tracks.get(event.track)
            if track is None:
                track = RemoteStreamTrack(event.track, json.loads(event.info_json), self._receive)
                self._remote_tracks[event.track] = track
                receiver = self._transceiver(event.transceiver).receiver
                receiver.tracks.append(track)
                receiver.track = receiver.track or track
            self.emit("track", track)
            return
        if t == _abi.OMNIRTC_EVENT_KEYFRAME_REQUEST:
            transceiver = self._transceivers.get(event.transceiver)
            if transceiver is not None:
                transceiver.sender.emit("keyframerequest", KEYFRAME_KINDS[event.keyframe_kind], event.rid)
            return
        if t == _abi.OMNIRTC_EVENT_DTMF_TONE_CHANGE:
            transceiver = self._transceivers.get(event.transceiver)
            dtmf = transceiver.sender.dtmf if transceiver is not None else None
            if dtmf is not None:
                dtmf.emit("tonechange", event.tone)
            return
        if t == _abi.OMNIRTC_EVENT_TARGET_BITRATE:
            self.emit("targetbitrate", BitrateTarget._from_event(event.bits_per_second, event.streams_json))
            return
        remote = self._remote_tracks.get(event.track)
        if remote is None:
            return
        if t == _abi.OMNIRTC_EVENT_TRACK_FRAME:
            remote._push(EncodedFrame(event.data, event.rtp_timestamp, event.keyframe, event.packets_dropped))
        elif t == _abi.OMNIRTC_EVENT_TRACK_RTP:
            remote._push(RTPPacket(event.data, *event.layer))
        elif t == _abi.OMNIRTC_EVENT_DTMF_TONE:
            remote.emit("dtmf", event.tone, event.duration_ms)
        elif t == _abi.OMNIRTC_EVENT_TRACK_UNMUTE:
            remote._set_muted(False)
        elif t == _abi.OMNIRTC_EVENT_TRACK_MUTE:
            remote._set_muted(True)
        elif t == _abi.OMNIRTC_EVENT_TRACK_ENDED:
            del self._remote_tracks[event.track]
            remote.stop()

    async def close(self) -> None:
        """Close the connection, its channels and transports (W3C ``close``); remote tracks end. Idempotent; no state
        event of the peer follows, each open channel emits ``close``."""
        if self._closed:
            return
        try:
            gathering = self.iceGatheringState
        except InvalidHandleError:
            gathering = "new"
        self._final = {"signaling": "closed", "gathering": gathering, "ice": "closed", "connection": "closed"}
        self._transports.closed()
        self._closed = True
        with contextlib.suppress(InvalidHandleError):
            _native.check(_native.lib.omnirtc_peer_close(self._handle))
        self._finalizer.detach()
        for channel in list(self._channels.values()):
            channel._closed()
        self._channels.clear()
        for transceiver in self._transceivers.values():
            if transceiver.sender._frames is not None:
                transceiver.sender._frames.close()
        for track in self._remote_tracks.values():
            track.stop()
        self._remote_tracks.clear()
        self._gathering_changed.set()

    # --- events -------------------------------------------------------------
    def _on_event(self, event: _bridge.Event) -> None:
        t = event.type
        if t >= _abi.OMNIRTC_EVENT_TRACK:
            if not self._closed:
                self._on_media_event(event)
            return
        if t >= _abi.OMNIRTC_EVENT_CHANNEL_OPEN:
            channel = self._channels.get(event.channel)
            if channel is None:
                return
            channel._on_event(event)
            if t == _abi.OMNIRTC_EVENT_CHANNEL_CLOSE:
                self._channels.pop(event.channel, None)
            return
        if self._closed or self._transports.on_event(event):
            return
        if t == _abi.OMNIRTC_EVENT_ICE_CANDIDATE:
            candidate = None
            if event.candidate:
                candidate = candidate_from_sdp(event.candidate)
                candidate.sdpMid = event.sdp_mid
                candidate.sdpMLineIndex = event.sdp_mline_index
            self.emit("icecandidate", candidate)
            if candidate is None:
                self._gathered = self._completing
                self._gathering_changed.set()
        elif t == _abi.OMNIRTC_EVENT_ICE_GATHERING_STATE:
            if GATHERING[event.state] == "complete":
                self._completing = event.gathering
            self._transports.before_peer_state(t, GATHERING[event.state])
            self._emit_state("gathering", GATHERING[event.state], "icegatheringstatechange")
        elif t == _abi.OMNIRTC_EVENT_ICE_CONNECTION_STATE:
            self._transports.before_peer_state(t, ICE_CONNECTION[event.state])
            self._emit_state("ice", ICE_CONNECTION[event.state], "iceconnectionstatechange")
        elif t == _abi.OMNIRTC_EVENT_CONNECTION_STATE:
            self._emit_state("connection", CONNECTION[event.state], "connectionstatechange")
        elif t == _abi.OMNIRTC_EVENT_SIGNALING_STATE:
            self._emit_state("signaling", SIGNALING[event.state], "signalingstatechange")
        elif t == _abi.OMNIRTC_EVENT_NEGOTIATION_NEEDED:
            self.emit("negotiationneeded")
        elif t == _abi.OMNIRTC_EVENT_DATA_CHANNEL:
            # The library announces a remote channel open; its open event follows.
            channel = RTCDataChannel(event.channel, event.info_json)
            self._channels[event.channel] = channel
            self.emit("datachannel", channel)
