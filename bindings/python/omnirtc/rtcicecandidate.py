"""RTCIceCandidate as aiortc has it, and the SDP conversions aiortc.sdp offers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RTCIceCandidate:
    """An ICE candidate, aiortc's ``RTCIceCandidate`` (W3C ``RTCIceCandidate``'s fields, parsed): ``ip`` and ``port``
    are the address, ``type`` is host, srflx, prflx or relay, ``protocol`` udp or tcp, ``sdpMid`` / ``sdpMLineIndex``
    the media section it belongs to."""

    component: int
    foundation: str
    ip: str
    port: int
    priority: int
    protocol: str
    type: str
    relatedAddress: str | None = None
    relatedPort: int | None = None
    sdpMid: str | None = None
    sdpMLineIndex: int | None = None
    tcpType: str | None = None


def candidate_from_sdp(sdp: str) -> RTCIceCandidate:
    """Parse an ``a=candidate`` value (with or without the ``candidate:`` prefix), as ``aiortc.sdp.candidate_from_sdp``;
    ValueError when it has fewer than 8 fields, ValueError from ``int()`` for a non-numeric component, priority or
    port."""
    if sdp.startswith("candidate:"):
        sdp = sdp[len("candidate:") :]
    bits = sdp.split()
    if len(bits) < 8:
        raise ValueError(f"not an ICE candidate: {sdp!r}")
    candidate = RTCIceCandidate(
        component=int(bits[1]),
        foundation=bits[0],
        ip=bits[4],
        port=int(bits[5]),
        priority=int(bits[3]),
        protocol=bits[2],
        type=bits[7],
    )
    for i in range(8, len(bits) - 1, 2):
        if bits[i] == "raddr":
            candidate.relatedAddress = bits[i + 1]
        elif bits[i] == "rport":
            candidate.relatedPort = int(bits[i + 1])
        elif bits[i] == "tcptype":
            candidate.tcpType = bits[i + 1]
    return candidate


def candidate_to_sdp(candidate: RTCIceCandidate) -> str:
    """The ``a=candidate`` value of a candidate, without the ``candidate:`` prefix, as ``aiortc.sdp.candidate_to_sdp``.
    """
    sdp = (
        f"{candidate.foundation} {candidate.component} {candidate.protocol} "
        f"{candidate.priority} {candidate.ip} {candidate.port} typ {candidate.type}"
    )
    if candidate.relatedAddress is not None:
        sdp += f" raddr {candidate.relatedAddress}"
    if candidate.relatedPort is not None:
        sdp += f" rport {candidate.relatedPort}"
    if candidate.tcpType is not None:
        sdp += f" tcptype {candidate.tcpType}"
    return sdp
