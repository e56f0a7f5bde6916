"""RTCRtpTransceiver, RTCRtpSender and RTCRtpReceiver."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _native
from .events import EventEmitter
from .mediastreams import LocalTrack, RemoteStreamTrack
from .rtcdtmfsender import RTCDTMFSender
from .rtcrtpparameters import RTCRtpSendParameters, SendParametersTransaction

if TYPE_CHECKING:
    from .framesender import FrameSender
    from .rtctransports import PeerTransports, RTCDtlsTransport


@dataclass
class RTCRtpCodecCapability:
    """A codec a peer connection offers (aiortc's ``RTCRtpCodecCapability``; W3C ``RTCRtpCodec``): ``clockRate`` in Hz,
    ``parameters`` the fmtp line as a dict, ``scalabilityModes`` the W3C webrtc-svc modes it can send (none: empty)."""

    mimeType: str
    clockRate: int
    channels: int | None = None
    parameters: dict[str, str | None] = field(default_factory=dict)
    scalabilityModes: list[str] = field(default_factory=list)


@dataclass
class RTCRtpHeaderExtensionCapability:
    """An RTP header extension a peer connection offers (W3C ``RTCRtpHeaderExtensionCapability``, aiortc's): its URI."""

    uri: str


@dataclass
class RTCRtpCapabilities:
    """What :meth:`RTCRtpSender.getCapabilities` returns (W3C ``RTCRtpCapabilities``, aiortc's): codecs and header
    extensions."""

    codecs: list[RTCRtpCodecCapability]
    headerExtensions: list[RTCRtpHeaderExtensionCapability]


def _capabilities(kind: str) -> RTCRtpCapabilities:
    """webrtc-pc 5.2 getCapabilities: what a default peer offers for ``kind``."""
    raw = json.loads(_native.call_string(_native.lib.omnirtc_rtp_capabilities, _native.encode(kind, "kind")) or "{}")
    return RTCRtpCapabilities(
        codecs=[
            RTCRtpCodecCapability(
                mimeType=c["mimeType"],
                clockRate=c["clockRate"],
                channels=c.get("channels"),
                parameters=_fmtp(c.get("sdpFmtpLine", "")),
                scalabilityModes=c.get("scalabilityModes", []),
            )
            for c in raw["codecs"]
        ],
        headerExtensions=[RTCRtpHeaderExtensionCapability(uri=e["uri"]) for e in raw["headerExtensions"]],
    )


def _fmtp(line: str) -> dict[str, str | None]:
    """An fmtp line as aiortc's parameters: ``a=1;b`` is ``{"a": "1", "b": None}``."""
    pairs = (item.split("=", 1) for item in line.split(";") if item)
    return {p[0]: p[1] if len(p) > 1 else None for p in pairs}


class _RtpEnd:
    """What a sender and a receiver share: their transceiver's transport, and
    the capabilities of their kind of end (the same for both)."""

    _transceiver: RTCRtpTransceiver

    @classmethod
    def getCapabilities(cls, kind: str) -> RTCRtpCapabilities:
        """W3C ``getCapabilities`` (webrtc-pc 5.2): what a default peer offers for ``kind`` ("audio" or "video"). Raises
        InvalidArgumentError (a ValueError) for another kind."""
        return _capabilities(kind)

    @property
    def transport(self) -> RTCDtlsTransport | None:
        """None until negotiated, then the peer's one DTLS transport."""
        return self._transceiver._transport()


class RTCRtpSender(_RtpEnd, EventEmitter):
    """The sending half of a transceiver (W3C ``RTCRtpSender``, aiortc's): sends a :class:`LocalTrack`; emits
    ``keyframerequest`` with ``"pli"`` or ``"fir"`` and the simulcast rid when the remote asks for a keyframe."""

    def __init__(self, transceiver: RTCRtpTransceiver, track: LocalTrack | None) -> None:
        """The sender of ``transceiver``; made by RTCPeerConnection, not by user code."""
        super().__init__()
        self._transceiver = transceiver
        self.track: Any = track  # a LocalTrack, or a track of av frames (addTrack)
        self._frames: FrameSender | None = None
        self._dtmf: list[RTCDTMFSender | None] = []  # made on first use: [sender] or [None]
        self._parameters = SendParametersTransaction(lambda: transceiver._handle)

    @property
    def dtmf(self) -> RTCDTMFSender | None:
        """webrtc-pc 7.1: the :class:`RTCDTMFSender` of an audio sender, None for video."""
        if not self._dtmf:
            self._dtmf.append(RTCDTMFSender(self._transceiver) if self._transceiver.kind == "audio" else None)
        return self._dtmf[0]

    def getParameters(self) -> RTCRtpSendParameters:
        """webrtc-pc 5.2: the encodings and codecs, with a transactionId that
        :meth:`setParameters` accepts until the event loop's next turn."""
        return self._parameters.get(self._transceiver._info())

    async def setParameters(self, parameters: RTCRtpSendParameters) -> None:
        """webrtc-pc 5.2: each encoding's ``active`` (``False`` stops that layer
        at once), ``maxBitrate``, ``scaleResolutionDownBy`` and ``scalabilityMode``.
        Raises InvalidStateError without a current getParameters(),
        InvalidModificationError for another transactionId, other codecs or
        encodings added, removed or renamed, ValueError (W3C RangeError) for a
        scaleResolutionDownBy below 1, OperationError for a scalabilityMode the
        codec cannot send."""
        self._parameters.set(parameters)

    async def replaceTrack(self, track: LocalTrack | None) -> None:
        """Send ``track`` instead, without renegotiating (W3C ``replaceTrack``); None sends nothing.

        Raises InvalidArgumentError (a track of the other kind), NotSupportedError (a simulcast track),
        InvalidHandleError (a stopped track), InvalidStateError (a stopped transceiver, a closed peer)."""
        _native.check(
            _native.lib.omnirtc_transceiver_replace_track(self._transceiver._handle, track._handle if track else 0)
        )
        self.track = track


class RTCRtpReceiver(_RtpEnd):
    """The receiving half of a transceiver (W3C ``RTCRtpReceiver``, aiortc's): ``track`` is the first remote track,
    ``tracks`` every one (one per simulcast layer)."""

    def __init__(self, transceiver: RTCRtpTransceiver) -> None:
        """The receiver of ``transceiver``; made by RTCPeerConnection, not by user code."""
        self._transceiver = transceiver
        self.track: RemoteStreamTrack | None = None
        self.tracks: list[RemoteStreamTrack] = []


class RTCRtpTransceiver:
    """A sender and a receiver sharing a media section (W3C ``RTCRtpTransceiver``, aiortc's)."""

    def __init__(self, handle: int, track: LocalTrack | None, transports: PeerTransports) -> None:
        """The transceiver of a library handle; made by RTCPeerConnection, not by user code."""
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
        """W3C ``mid``: the media section's id, None until negotiated."""
        return self._info()["mid"]

    @property
    def kind(self) -> str:
        """The media kind, "audio" or "video" (aiortc's ``RTCRtpTransceiver.kind``)."""
        return self._info()["kind"]

    @property
    def direction(self) -> str:
        """W3C ``direction``: "sendrecv", "sendonly", "recvonly", "inactive" or "stopped". Setting it changes what the
        next offer or answer proposes (``negotiationneeded`` follows); it raises InvalidArgumentError (a ValueError)
        for another string, InvalidStateError for a stopped transceiver or a closed peer."""
        return self._info()["direction"]

    @direction.setter
    def direction(self, direction: str) -> None:
        _native.check(_native.lib.omnirtc_transceiver_set_direction(self._handle, direction.encode()))

    @property
    def currentDirection(self) -> str | None:
        """W3C ``currentDirection``: the direction the last completed offer/answer negotiated, seen from this peer; None
        before then."""
        return self._info()["currentDirection"]

    @property
    def stopped(self) -> bool:
        """aiortc's ``stopped``: True once a description rejected the transceiver's media section (W3C [[Stopped]];
        ``currentDirection`` then reads "stopped" and the receiver's track has ended)."""
        return bool(self._info()["stopped"])

    @property
    def codecs(self) -> list[dict[str, Any]]:
        """The negotiated codecs (RTCRtpCodecParameters as dicts)."""
        return self._info()["codecs"]

    def setCodecPreferences(self, codecs: list[Any]) -> None:
        """Offer only these codecs, in order (W3C ``setCodecPreferences``): objects with ``mimeType`` (and optionally
        ``sdpFmtpLine``), like aiortc's RTCRtpCodecCapability, or dicts. Raises InvalidArgumentError (a ValueError)
        for an unknown codec or one of the other kind, or, for a track of av frames, when none of the codecs has an
        encoder; such a track is then encoded in the first codec that has one."""
        prefs = []
        for codec in codecs:
            get = codec.get if isinstance(codec, dict) else lambda key, c=codec: getattr(c, key, None)
            pref = {"mimeType": get("mimeType")}
            if get("sdpFmtpLine"):
                pref["sdpFmtpLine"] = get("sdpFmtpLine")
            prefs.append(pref)
        frames = self.sender._frames
        encoding = frames.encoding_for([str(p["mimeType"]) for p in prefs]) if frames is not None and prefs else None
        _native.check(_native.lib.omnirtc_transceiver_set_codec_preferences(self._handle, json.dumps(prefs).encode()))
        if frames is not None and encoding is not None:
            frames.encode_as(encoding)

    def stop(self) -> None:
        """Stop sending and receiving for good (W3C ``stop``); ``negotiationneeded`` follows."""
        _native.check(_native.lib.omnirtc_transceiver_stop(self._handle))
