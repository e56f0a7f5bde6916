"""RTCConfiguration and RTCIceServer, as in aiortc, plus OmniRTC's engine settings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .rtccertificate import RTCCertificate


@dataclass
class RTCIceServer:
    """A STUN or TURN server (W3C ``RTCIceServer``, aiortc's): ``urls`` are stun:, turn: or turns: URLs; a turn: or
    turns: URL needs ``username`` and ``credential``, else RTCPeerConnection() raises InvalidAccessError; a URL that
    does not parse makes it raise InvalidSyntaxError."""

    urls: str | list[str]
    username: str | None = None
    credential: str | None = None
    credentialType: str = "password"
    #: OmniRTC's options for this server, e.g. ``{"caCertificates": PEM}``: the
    #: CAs a turns: server's certificate must chain to (see omnirtc.h).
    omnirtc: dict[str, Any] | None = None


@dataclass
class RTCConfiguration:
    """W3C ``RTCConfiguration`` (webrtc-pc 4.2), aiortc's fields plus ``iceTransportPolicy``, ``rtcpMuxPolicy`` and
    ``iceCandidatePoolSize``. ``omnirtc`` holds engine settings (see ``omnirtc_peer_create`` in omnirtc.h), for
    example ``{"portRange": {"min": 40000, "max": 40100}, "mdns": "disabled"}``. RTCPeerConnection() reports a bad
    key or value as InvalidConfigError and ``rtcpMuxPolicy="negotiate"`` as NotSupportedError."""

    iceServers: list[RTCIceServer] | None = None
    iceTransportPolicy: str = "all"
    bundlePolicy: str = "balanced"
    rtcpMuxPolicy: str = "require"
    #: RTCCertificate objects (or their PEM texts); an expired one makes
    #: RTCPeerConnection() raise InvalidAccessError
    certificates: list[RTCCertificate | str] = field(default_factory=list)
    iceCandidatePoolSize: int = 0
    omnirtc: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """The configuration as the library's JSON (``omnirtc_peer_create``'s config_json). Raises TypeError for an
        ``iceServers`` entry that is not an RTCIceServer."""
        servers = []
        for server in self.iceServers or []:
            if not isinstance(server, RTCIceServer):
                raise TypeError(f"iceServers entries must be RTCIceServer, not {type(server).__name__}")
            entry: dict[str, Any] = {"urls": server.urls}
            if server.username is not None:
                entry["username"] = server.username
            if server.credential is not None:
                entry["credential"] = server.credential
            if server.omnirtc is not None:
                entry["omnirtc"] = server.omnirtc
            servers.append(entry)
        body: dict[str, Any] = {
            "iceServers": servers,
            "iceTransportPolicy": self.iceTransportPolicy,
            "bundlePolicy": self.bundlePolicy,
            "rtcpMuxPolicy": self.rtcpMuxPolicy,
            "certificates": [c.to_pem() if isinstance(c, RTCCertificate) else c for c in self.certificates],
            "iceCandidatePoolSize": self.iceCandidatePoolSize,
        }
        if self.omnirtc:
            body["omnirtc"] = self.omnirtc
        return json.dumps(body)

    @classmethod
    def from_json(cls, text: str) -> RTCConfiguration:
        """The configuration of ``omnirtc_peer_get_configuration``'s JSON (certificates as PEM texts)."""
        body = json.loads(text)
        servers = [
            RTCIceServer(
                urls=s["urls"],
                username=s.get("username"),
                credential=s.get("credential"),
                credentialType=s.get("credentialType", "password"),
                omnirtc=s.get("omnirtc"),
            )
            for s in body.get("iceServers", [])
        ]
        return cls(
            iceServers=servers,
            iceTransportPolicy=body["iceTransportPolicy"],
            bundlePolicy=body["bundlePolicy"],
            rtcpMuxPolicy=body["rtcpMuxPolicy"],
            certificates=body["certificates"],
            iceCandidatePoolSize=body["iceCandidatePoolSize"],
            omnirtc=body.get("omnirtc", {}),
        )
