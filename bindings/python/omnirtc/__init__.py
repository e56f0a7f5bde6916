"""omnirtc: WebRTC for asyncio with aiortc's API, on OmniRTC's engine.

Start with :class:`RTCPeerConnection`; every name below is importable from ``omnirtc``. Errors are :class:`Error`
subclasses, one per library status code. The engine's log lines go to loggers (:mod:`omnirtc.logs`); aiortc's media
helpers are in :mod:`omnirtc.contrib.media` (``pip install omnirtc[media]``)."""

from __future__ import annotations

import atexit
from typing import Any

from . import _native, logs
from ._version import __version__
from .bitratetarget import BitrateTarget
from .exceptions import (
    Error,
    ForkedError,
    InternalError,
    InvalidAccessError,
    InvalidArgumentError,
    InvalidCandidateError,
    InvalidCharacterError,
    InvalidConfigError,
    InvalidHandleError,
    InvalidModificationError,
    InvalidSdpError,
    InvalidStateError,
    InvalidSyntaxError,
    NotSupportedError,
    OperationError,
    RTCError,
    TooLargeError,
)
from .forwarder import ALL_SPATIAL, ALL_TEMPORAL, Forwarder
from .gcsettings import GCSettings, get_gc, set_gc
from .logs import sync_log_level
from .mediafile import MediaReader, MediaWriter
from .mediastreams import EncodedFrame, LocalTrack, MediaStreamError, MediaStreamTrack, RemoteStreamTrack, RTPPacket
from .rtccertificate import RTCCertificate, RTCDtlsFingerprint
from .rtcconfiguration import RTCConfiguration, RTCIceServer
from .rtcdatachannel import RTCDataChannel
from .rtcdtmfsender import RTCDTMFSender
from .rtcicecandidate import RTCIceCandidate, candidate_from_sdp, candidate_to_sdp
from .rtcpeerconnection import RTCPeerConnection, RTCSctpTransportStats, RTCStatsReport
from .rtcrtpparameters import RTCRtpEncodingParameters, RTCRtpSendParameters
from .rtcrtptransceiver import (
    RTCRtpCapabilities,
    RTCRtpCodecCapability,
    RTCRtpHeaderExtensionCapability,
    RTCRtpReceiver,
    RTCRtpSender,
    RTCRtpTransceiver,
)
from .rtcsessiondescription import RTCSessionDescription
from .rtctransports import RTCDtlsTransport, RTCIceCandidatePair, RTCIceTransport, RTCSctpTransport
from .streamtracks import AudioStreamTrack, VideoStreamTrack
from .turnserver import TurnAllocation, TurnServer, rest_credential
from .whip import WhipError, WhipOffer, WhipServer, WhipSession, whep_play, whip_publish


def library_version() -> str:
    """The version of the loaded libomnirtc (``omnirtc_version``); ``__version__`` is the package's."""
    return _native.lib.omnirtc_version().decode()


def debug_counters() -> dict[str, Any]:
    """Live handles, goroutines and sockets of the library, for leak checks (``omnirtc_debug_counters``)."""
    import json

    return json.loads(_native.call_string(_native.lib.omnirtc_debug_counters) or "{}")


def generate_certificate() -> str:
    """A new ECDSA P-256 DTLS certificate and key as PEM, valid for 30 days, for ``RTCConfiguration.certificates``
    (``omnirtc_generate_certificate``; W3C ``generateCertificate`` is :meth:`RTCCertificate.generateCertificate`)."""
    return _native.call_string(_native.lib.omnirtc_generate_certificate) or ""


# Close every peer before the interpreter tears down: a callback arriving
# during finalization could otherwise find Python half gone.
def _shutdown() -> None:
    _native.lib.omnirtc_shutdown()
    logs._forget_level()


atexit.register(_shutdown)

__all__ = [
    "ALL_SPATIAL",
    "ALL_TEMPORAL",
    "AudioStreamTrack",
    "BitrateTarget",
    "EncodedFrame",
    "Error",
    "ForkedError",
    "Forwarder",
    "GCSettings",
    "InternalError",
    "InvalidAccessError",
    "InvalidArgumentError",
    "InvalidCandidateError",
    "InvalidCharacterError",
    "InvalidConfigError",
    "InvalidHandleError",
    "InvalidModificationError",
    "InvalidSdpError",
    "InvalidStateError",
    "InvalidSyntaxError",
    "LocalTrack",
    "MediaReader",
    "MediaStreamError",
    "MediaStreamTrack",
    "MediaWriter",
    "NotSupportedError",
    "OperationError",
    "RTCCertificate",
    "RTCConfiguration",
    "RTCDTMFSender",
    "RTCDataChannel",
    "RTCDtlsFingerprint",
    "RTCDtlsTransport",
    "RTCError",
    "RTCIceCandidate",
    "RTCIceCandidatePair",
    "RTCIceServer",
    "RTCIceTransport",
    "RTCPeerConnection",
    "RTCRtpCapabilities",
    "RTCRtpCodecCapability",
    "RTCRtpEncodingParameters",
    "RTCRtpHeaderExtensionCapability",
    "RTCRtpReceiver",
    "RTCRtpSendParameters",
    "RTCRtpSender",
    "RTCRtpTransceiver",
    "RTCSctpTransport",
    "RTCSctpTransportStats",
    "RTCSessionDescription",
    "RTCStatsReport",
    "RTPPacket",
    "RemoteStreamTrack",
    "TooLargeError",
    "TurnAllocation",
    "TurnServer",
    "VideoStreamTrack",
    "WhipError",
    "WhipOffer",
    "WhipServer",
    "WhipSession",
    "__version__",
    "candidate_from_sdp",
    "candidate_to_sdp",
    "debug_counters",
    "generate_certificate",
    "get_gc",
    "library_version",
    "rest_credential",
    "set_gc",
    "sync_log_level",
    "whep_play",
    "whip_publish",
]
