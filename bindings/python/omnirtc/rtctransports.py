"""RTCIceTransport, RTCDtlsTransport and RTCSctpTransport (webrtc-pc 5.6, 5.5, 6.1.1).

Named as aiortc names them (``RTCDtlsTransport.transport`` is the ICE
transport, ``RTCSctpTransport.transport`` the DTLS one) with the W3C
attributes besides. Their state is the library's
(``omnirtc_peer_get_transports``), read when asked; while a ``statechange``
is emitted, the state it reports; after ``close()``, ``"closed"``. One ICE and
one DTLS transport carry everything (bundle).
"""

from __future__ import annotations

import base64
import json
from typing import Any, Callable, NamedTuple

from . import _abi, _native
from .events import EventEmitter
from .exceptions import InvalidHandleError, InvalidStateError
from .rtcicecandidate import RTCIceCandidate, candidate_from_sdp

DTLS = {
    _abi.OMNIRTC_DTLS_TRANSPORT_NEW: "new",
    _abi.OMNIRTC_DTLS_TRANSPORT_CONNECTING: "connecting",
    _abi.OMNIRTC_DTLS_TRANSPORT_CONNECTED: "connected",
    _abi.OMNIRTC_DTLS_TRANSPORT_CLOSED: "closed",
    _abi.OMNIRTC_DTLS_TRANSPORT_FAILED: "failed",
}
SCTP = {
    _abi.OMNIRTC_SCTP_TRANSPORT_CONNECTING: "connecting",
    _abi.OMNIRTC_SCTP_TRANSPORT_CONNECTED: "connected",
    _abi.OMNIRTC_SCTP_TRANSPORT_CLOSED: "closed",
}


class RTCIceCandidatePair(NamedTuple):
    """The selected local and remote candidates (W3C ``RTCIceCandidatePair``)."""

    local: RTCIceCandidate
    remote: RTCIceCandidate


# A NamedTuple's __new__ is made in a module of its own ("namedtuple_..."), where
# tools that read its signature (pdoc) cannot resolve "RTCIceCandidate".
RTCIceCandidatePair.__new__.__module__ = __name__


class RTCIceTransport(EventEmitter):
    """The ICE transport (W3C ``RTCIceTransport``, aiortc's, as ``RTCDtlsTransport.transport``); emits ``statechange``,
    ``gatheringstatechange`` and ``selectedcandidatepairchange``."""

    def __init__(self, peer: PeerTransports) -> None:
        """The ICE transport of a peer's transports; made by the peer connection."""
        super().__init__()
        self._peer = peer

    @property
    def role(self) -> str:
        """``"controlling"``, ``"controlled"``, or ``"unknown"`` until ICE starts."""
        return str(self._peer.read("ice", "role"))

    @property
    def component(self) -> str:
        """W3C ``component``: always "rtp" (RTCP is multiplexed)."""
        return "rtp"

    @property
    def state(self) -> str:
        """W3C ``state``: "new", "checking", "connected", "completed", "disconnected", "failed" or "closed"."""
        return str(self._peer.read("ice", "state"))

    @property
    def gatheringState(self) -> str:
        """W3C ``gatheringState``: "new", "gathering" or "complete"."""
        return str(self._peer.read("ice", "gatheringState"))

    def getSelectedCandidatePair(self) -> RTCIceCandidatePair | None:
        """W3C ``getSelectedCandidatePair``: the pair in use, or None before ICE connects."""
        pair = self._peer.read("ice", "selectedPair")
        if not pair:
            return None
        return RTCIceCandidatePair(candidate_from_sdp(pair["local"]), candidate_from_sdp(pair["remote"]))

    def getLocalCandidates(self) -> list[RTCIceCandidate]:
        """webrtc-pc 5.6: the candidates gathered and sent in ``icecandidate``."""
        return [candidate_from_sdp(line) for line in self._peer.read("ice", "localCandidates")]

    def getRemoteCandidates(self) -> list[RTCIceCandidate]:
        """webrtc-pc 5.6: the remote's, from its description and :meth:`RTCPeerConnection.addIceCandidate`."""
        return [candidate_from_sdp(line) for line in self._peer.read("ice", "remoteCandidates")]


class RTCDtlsTransport(EventEmitter):
    """The DTLS transport (W3C ``RTCDtlsTransport``, aiortc's): ``transport`` and ``iceTransport`` are its
    RTCIceTransport; emits ``statechange``."""

    def __init__(self, peer: PeerTransports, ice: RTCIceTransport) -> None:
        """The DTLS transport of a peer's transports; made by the peer connection."""
        super().__init__()
        self._peer = peer
        self.transport = self.iceTransport = ice

    @property
    def state(self) -> str:
        """W3C ``state``: "new", "connecting", "connected", "closed" or "failed"."""
        return str(self._peer.read("dtls", "state"))

    def getRemoteCertificates(self) -> list[bytes]:
        """W3C ``getRemoteCertificates``: the remote's certificate chain, DER bytes (empty before the handshake)."""
        return [base64.b64decode(c) for c in self._peer.read("dtls", "remoteCertificates")]


class RTCSctpTransport(EventEmitter):
    """The SCTP transport the data channels run over (W3C ``RTCSctpTransport``, webrtc-pc 6.1.1; aiortc's):
    ``transport`` is its RTCDtlsTransport; emits ``statechange``."""

    def __init__(self, peer: PeerTransports, dtls: RTCDtlsTransport) -> None:
        """The SCTP transport of a peer's transports; made by the peer connection."""
        super().__init__()
        self._peer = peer
        self.transport = dtls

    @property
    def state(self) -> str:
        """W3C ``state``: "connecting", "connected" or "closed"."""
        return str(self._peer.read("sctp", "state"))

    @property
    def maxMessageSize(self) -> int:
        """W3C ``maxMessageSize``: the largest message, in bytes, :meth:`RTCDataChannel.send` accepts now."""
        return int(self._peer.read("sctp", "maxMessageSize"))

    @property
    def maxChannels(self) -> int | None:
        """W3C ``maxChannels``: the most data channels open at once, None until the SCTP association is connected."""
        n = self._peer.read("sctp", "maxChannels")
        return None if n is None else int(n)


class PeerTransports:
    """A peer connection's transports; :class:`RTCPeerConnection` delegates here."""

    def __init__(self, live: Callable[[], int]) -> None:
        """The transports of the peer whose handle ``live`` returns (raising once it is closed)."""
        self._live = live
        self._info: dict[str, Any] | None = None  # after close(): every transport closed
        self._shown: dict[str, dict[str, Any]] = {"ice": {}, "dtls": {}, "sctp": {}}
        self._sctp: RTCSctpTransport | None = None
        self.ice = RTCIceTransport(self)
        self.dtls = RTCDtlsTransport(self, self.ice)

    def _current(self) -> dict[str, Any]:
        if self._info is not None:
            return self._info
        return dict(json.loads(_native.call_string(_native.lib.omnirtc_peer_get_transports, self._live()) or "{}"))

    def read(self, transport: str, key: str) -> Any:
        """One value of one transport: the one a state event in emission reports, else the library's now."""
        shown = self._shown[transport]
        if key in shown:
            return shown[key]
        return self._current()[transport][key]

    @property
    def sctp(self) -> RTCSctpTransport | None:
        """None until an answer negotiated SCTP, then always the same object."""
        if self._sctp is None and self._current().get("sctp"):
            self._sctp = RTCSctpTransport(self, self.dtls)
        return self._sctp

    def of(self, transceiver: Any) -> RTCDtlsTransport | None:
        """sender.transport and receiver.transport: the DTLS transport once the transceiver has a mid."""
        if not transceiver._negotiated and self._info is None and transceiver.mid is not None:
            transceiver._negotiated = True
        return self.dtls if transceiver._negotiated else None

    def _emit(self, target: EventEmitter, transport: str, key: str, value: Any, event: str) -> None:
        shown = self._shown[transport]
        had, previous = key in shown, shown.get(key)
        shown[key] = value
        try:
            target.emit(event)
        finally:
            if had:
                shown[key] = previous
            else:
                del shown[key]

    def before_peer_state(self, event_type: int, name: str) -> None:
        """The ICE transport's event for the peer's ICE state event: the same change, transport first (5.6)."""
        if event_type == _abi.OMNIRTC_EVENT_ICE_CONNECTION_STATE:
            self._emit(self.ice, "ice", "state", name, "statechange")
        elif event_type == _abi.OMNIRTC_EVENT_ICE_GATHERING_STATE:
            self._emit(self.ice, "ice", "gatheringState", name, "gatheringstatechange")

    def on_event(self, event: Any) -> bool:
        """Handle TRANSPORT_STATE and SELECTED_CANDIDATE_PAIR; False for any other event."""
        if event.type == _abi.OMNIRTC_EVENT_SELECTED_CANDIDATE_PAIR:
            pair = {"local": event.candidate, "remote": event.remote_candidate}
            self._emit(self.ice, "ice", "selectedPair", pair, "selectedcandidatepairchange")
        elif event.type == _abi.OMNIRTC_EVENT_TRANSPORT_STATE:
            if event.transport == _abi.OMNIRTC_TRANSPORT_DTLS:
                self._emit(self.dtls, "dtls", "state", DTLS[event.state], "statechange")
            elif self.sctp is not None:
                self._emit(self.sctp, "sctp", "state", SCTP[event.state], "statechange")
        else:
            return False
        return True

    def closed(self) -> None:
        """close(): every transport "closed", without events (webrtc-pc 4.4.1.5)."""
        try:
            info = self._current()
        except (InvalidHandleError, InvalidStateError):  # closed already: nothing more to read
            info = {"ice": {"role": "unknown", "gatheringState": "new", "selectedPair": None}, "dtls": {}, "sctp": None}
        info["ice"] = {"localCandidates": [], "remoteCandidates": [], **info["ice"], "state": "closed"}
        info["dtls"] = {"remoteCertificates": [], **info["dtls"], "state": "closed"}
        if self._sctp is not None or info.get("sctp"):
            info["sctp"] = {"maxMessageSize": 65536, "maxChannels": None, **(info.get("sctp") or {}), "state": "closed"}
            if self._sctp is None:
                self._sctp = RTCSctpTransport(self, self.dtls)
        self._info = info
