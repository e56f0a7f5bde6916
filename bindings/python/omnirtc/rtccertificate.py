"""RTCCertificate and RTCDtlsFingerprint, as in aiortc (webrtc-pc 4.9)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from . import _native


@dataclass(frozen=True)
class RTCDtlsFingerprint:
    """A certificate's fingerprint: the hash function and the digest in lowercase hex."""

    algorithm: str
    value: str


class RTCCertificate:
    """A DTLS certificate with its private key, for ``RTCConfiguration(certificates=[...])``.

    Make one with :meth:`generateCertificate`, or from a PEM text stored with
    :meth:`to_pem`: a peer made with it keeps its DTLS identity (fingerprint).
    """

    def __init__(self, pem: str) -> None:
        """The certificate of ``pem`` (from :meth:`to_pem` or :func:`omnirtc.generate_certificate`). Raises
        InvalidArgumentError (a ValueError) when ``pem`` lacks a certificate or its private key, TypeError when it is
        not a str. An expired one is accepted here; RTCPeerConnection() refuses it (InvalidAccessError)."""
        info = json.loads(_native.call_string(_native.lib.omnirtc_certificate_info, _native.encode(pem, "pem")) or "{}")
        self._pem = pem
        self._expires = datetime.fromtimestamp(info["expires"] / 1000, tz=timezone.utc)
        self._fingerprints = [RTCDtlsFingerprint(f["algorithm"], f["value"]) for f in info["fingerprints"]]

    @classmethod
    def generateCertificate(cls, keygenAlgorithm: dict[str, Any] | None = None) -> RTCCertificate:
        """A new certificate: ECDSA P-256 by default, or the W3C keygenAlgorithm, for example
        ``{"name": "RSASSA-PKCS1-v1_5", "modulusLength": 2048, "publicExponent": b"\\x01\\x00\\x01",
        "hash": "SHA-256"}``, with ``"expires"``: its lifetime in milliseconds (default 30 days,
        at most 365). Raises NotSupportedError for an algorithm the library cannot make."""
        keygen = None
        if keygenAlgorithm is not None:
            if not isinstance(keygenAlgorithm, dict):
                raise TypeError(f"keygenAlgorithm must be a dict, not {type(keygenAlgorithm).__name__}")
            body = dict(keygenAlgorithm)
            if isinstance(body.get("publicExponent"), (bytes, bytearray)):
                body["publicExponent"] = list(body["publicExponent"])
            if isinstance(body.get("hash"), dict):
                body["hash"] = body["hash"].get("name")
            keygen = json.dumps(body).encode()
        return cls(_native.call_string(_native.lib.omnirtc_certificate_generate, keygen) or "")

    @property
    def expires(self) -> datetime:
        """When the certificate stops being valid (UTC)."""
        return self._expires

    def getFingerprints(self) -> list[RTCDtlsFingerprint]:
        """The fingerprints a peer made with this certificate announces in its SDP."""
        return list(self._fingerprints)

    def to_pem(self) -> str:
        """The certificate and its private key as PEM text, to store and pass to RTCCertificate() later."""
        return self._pem

    def __repr__(self) -> str:
        """The expiry and the fingerprints."""
        return f"RTCCertificate(expires={self._expires.isoformat()}, fingerprints={self._fingerprints!r})"
