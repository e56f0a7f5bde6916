"""omnirtc: WebRTC for asyncio with aiortc's API, on OmniRTC's engine."""

from __future__ import annotations

import atexit
from typing import Any

from . import _native
from ._version import __version__
from .bitratetarget import BitrateTarget
from .exceptions import (
    Error,
    ForkedError,
    InternalError,
    InvalidAccessError,
    InvalidArgumentError,
    InvalidCandidateError,
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
from .mediafile import MediaReader, MediaWriter
from .mediastreams import EncodedFrame, LocalTrack, MediaStreamError, MediaStreamTrack, RemoteStreamTrack
from .rtccertificate import RTCCertificate, RTCDtlsFingerprint
from .rtcconfiguration import RTCConfiguration, RTCIceServer
from .rtcdatachannel import RTCDataChannel
from .rtcicecandidate import RTCIceCandidate, candidate_from_sdp, candidate_to_sdp
from .rtcpeerconnection import RTCPeerConnection, RTCStatsReport
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
from .turnserver import TurnAllocation, TurnServer, rest_credential


def library_version() -> str:
    """The version of the loaded libomnirtc."""
    return _native.lib.omnirtc_version().decode()


def debug_counters() -> dict[str, Any]:
    """Live handles, goroutines and sockets of the library, for leak checks."""
    import json

    return json.loads(_native.call_string(_native.lib.omnirtc_debug_counters) or "{}")


def generate_certificate() -> str:
    """A new DTLS certificate and key as PEM, for RTCConfiguration.certificates."""
    return _native.call_string(_native.lib.omnirtc_generate_certificate) or ""


# Close every peer before the interpreter tears down: a callback arriving
# during finalization could otherwise find Python half gone.
atexit.register(_native.lib.omnirtc_shutdown)

__all__ = [
    "BitrateTarget",
    "EncodedFrame",
    "Error",
    "ForkedError",
    "InternalError",
    "InvalidAccessError",
    "InvalidArgumentError",
    "InvalidCandidateError",
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
    "RTCRtpHeaderExtensionCapability",
    "RTCRtpReceiver",
    "RTCRtpSender",
    "RTCRtpTransceiver",
    "RTCSctpTransport",
    "RTCSessionDescription",
    "RTCStatsReport",
    "RemoteStreamTrack",
    "TooLargeError",
    "TurnAllocation",
    "TurnServer",
    "__version__",
    "candidate_from_sdp",
    "candidate_to_sdp",
    "debug_counters",
    "generate_certificate",
    "library_version",
    "rest_credential",
]
