"""RTCRtpTransceiver, RTCRtpSender and RTCRtpReceiver."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from . import _native
from .events import EventEmitter
from .mediastreams import LocalTrack, RemoteStreamTrack

if TYPE_CHECKING:
    from .rtctransports import PeerTransports, RTCDtlsTransport


class RTCRtpSender(EventEmitter):
    """Sends a :class:`LocalTrack`; emits ``keyframerequest`` with ``"pli"`` or
    ``"fir"`` and the simulcast rid when the remote asks for a keyframe."""

    def __init__(self, transceiver: RTCRtpTransceiver, track: LocalTrack | None) -> None:
        super().__init__()
        self._transceiver = transceiver
        self.track = track

    @property
    def transport(self) -> RTCDtlsTransport | None:
        """None until negotiated, then the peer's one DTLS transport."""
        return self._transceiver._transport()

    async def replaceTrack(self, track: LocalTrack | None) -> None:
        _native.check(
            _native.lib.omnirtc_transceiver_replace_track(self._transceiver._handle, track._handle if track else 0)
        )
        self.track = track


class RTCRtpReceiver:
    """Receives the remote tracks of a transceiver (several with simulcast)."""

    def __init__(self, transceiver: RTCRtpTransceiver) -> None:
        self._transceiver = transceiver
        self.track: RemoteStreamTrack | None = None
        self.tracks: list[RemoteStreamTrack] = []

    @property
    def transport(self) -> RTCDtlsTransport | None:
        """None until negotiated, then the peer's one DTLS transport."""
        return self._transceiver._transport()


class RTCRtpTransceiver:
    def __init__(self, handle: int, track: LocalTrack | None, transports: PeerTransports) -> None:
        self._handle = handle
        self._transports = transports
        self._negotiated = False  # had a mid (PeerTransports.of)
        self.sender = RTCRtpSender(self, track)
        self.receiver = RTCRtpReceiver(self)

    def _transport(self) -> RTCDtlsTransport | None:
        return self._transports.of(self)

    def _info(self) -> dict[str, Any]:
        return json.loads(_native.call_string(_native.lib.omnirtc_transceiver_get_info, self._handle) or "{}")

    @property
    def mid(self) -> str | None:
        return self._info()["mid"]

    @property
    def kind(self) -> str:
        return self._info()["kind"]

    @property
    def direction(self) -> str:
        return self._info()["direction"]

    @direction.setter
    def direction(self, direction: str) -> None:
        """The direction the next offer or answer proposes; ``negotiationneeded``
        follows and :attr:`currentDirection` changes once that is negotiated."""
        _native.check(_native.lib.omnirtc_transceiver_set_direction(self._handle, direction.encode()))

    @property
    def currentDirection(self) -> str | None:
        return self._info()["currentDirection"]

    @property
    def codecs(self) -> list[dict[str, Any]]:
        """The negotiated codecs (RTCRtpCodecParameters as dicts)."""
        return self._info()["codecs"]

    def setCodecPreferences(self, codecs: list[Any]) -> None:
        """Offer only these codecs, in order: objects with ``mimeType`` (and
        optionally ``sdpFmtpLine``), like aiortc's RTCRtpCodecCapability, or dicts."""
        prefs = []
        for codec in codecs:
            get = codec.get if isinstance(codec, dict) else lambda key, c=codec: getattr(c, key, None)
            pref = {"mimeType": get("mimeType")}
            if get("sdpFmtpLine"):
                pref["sdpFmtpLine"] = get("sdpFmtpLine")
            prefs.append(pref)
        _native.check(_native.lib.omnirtc_transceiver_set_codec_preferences(self._handle, json.dumps(prefs).encode()))

    def stop(self) -> None:
        _native.check(_native.lib.omnirtc_transceiver_stop(self._handle))
