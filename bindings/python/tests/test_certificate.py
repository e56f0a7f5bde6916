"""Certificates (webrtc-pc 4.9, aiortc's RTCCertificate) and the error a data
channel's "error" event carries (webrtc-pc 11.1, 6.2)."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta, timezone

import pytest
from conftest import TIMEOUT, event_future, loopback_config, run
from omnirtc import (
    InvalidAccessError,
    NotSupportedError,
    OperationError,
    RTCCertificate,
    RTCConfiguration,
    RTCDtlsFingerprint,
    RTCError,
    RTCPeerConnection,
    RTCSessionDescription,
)

ECDSA = {"name": "ECDSA", "namedCurve": "P-256"}
RSA = {"name": "RSASSA-PKCS1-v1_5", "modulusLength": 2048, "publicExponent": b"\x01\x00\x01", "hash": "SHA-256"}


def sdp_fingerprints(sdp: str) -> list[RTCDtlsFingerprint]:
    """The SDP's a=fingerprint lines, lowercased (SDP writes uppercase hex, RFC 8122)."""
    return [RTCDtlsFingerprint(a, v.lower()) for a, v in re.findall(r"^a=fingerprint:(\S+) (\S+)\r$", sdp, re.M)]


def with_certificate(certificate: RTCCertificate) -> RTCConfiguration:
    config = loopback_config()
    config.certificates = [certificate]
    return config


async def offer_fingerprints(certificate: RTCCertificate) -> list[RTCDtlsFingerprint]:
    pc = RTCPeerConnection(with_certificate(certificate))
    pc.createDataChannel("x")
    offer = await pc.createOffer()
    await pc.close()
    return sdp_fingerprints(offer.sdp)


@pytest.mark.parametrize("algorithm", [None, ECDSA, RSA, {**RSA, "hash": {"name": "SHA-256"}}])
def test_generate_certificate_algorithms_and_fingerprint_in_sdp(algorithm):
    """webrtc-pc 4.9 generateCertificate; 4.9.2 the SDP carries getFingerprints()."""
    before = datetime.now(timezone.utc)
    certificate = RTCCertificate.generateCertificate(algorithm)
    # the default lifetime: 30 days (x509 keeps whole seconds)
    month = timedelta(days=30)
    assert before + month - timedelta(seconds=1) <= certificate.expires <= datetime.now(timezone.utc) + month
    [fingerprint] = certificate.getFingerprints()
    assert fingerprint.algorithm == "sha-256"
    assert re.fullmatch(r"[0-9a-f]{2}(:[0-9a-f]{2}){31}", fingerprint.value)
    assert run(offer_fingerprints(certificate)) == [fingerprint]
    assert "PRIVATE KEY" not in repr(certificate)


def test_same_certificate_same_fingerprint_and_stored_pem_keeps_it():
    """webrtc-pc 4.4.1 (constructor, certificates): a peer uses the configured certificate."""
    certificate = RTCCertificate.generateCertificate(ECDSA)
    first = run(offer_fingerprints(certificate))
    assert run(offer_fingerprints(certificate)) == first
    stored = RTCCertificate(certificate.to_pem())
    assert stored.expires == certificate.expires
    assert run(offer_fingerprints(stored)) == first
    # a PEM string works as before RTCCertificate existed
    assert run(offer_fingerprints(certificate.to_pem())) == first  # type: ignore[arg-type]
    assert run(offer_fingerprints(RTCCertificate.generateCertificate())) != first


def test_expires_is_honoured_and_an_expired_certificate_is_refused():
    """webrtc-pc 4.9.1 expires; 4.4.1 constructor: an expired certificate is InvalidAccessError."""
    before = datetime.now(timezone.utc)
    hour = RTCCertificate.generateCertificate({**ECDSA, "expires": 3600 * 1000})
    assert before + timedelta(hours=1, seconds=-1) <= hour.expires <= datetime.now(timezone.utc) + timedelta(hours=1)
    expired = RTCCertificate.generateCertificate({**ECDSA, "expires": 0})
    assert expired.expires <= datetime.now(timezone.utc)
    with pytest.raises(InvalidAccessError, match=r"certificates\[0\]"):
        RTCPeerConnection(RTCConfiguration(certificates=[expired]))


@pytest.mark.parametrize(
    "algorithm", [{"name": "ECDSA", "namedCurve": "P-384"}, {"name": "Ed25519"}, {**RSA, "hash": "SHA-1"}]
)
def test_an_algorithm_the_library_cannot_make_is_not_supported(algorithm):
    """webrtc-pc 4.9 generateCertificate: NotSupportedError."""
    with pytest.raises(NotSupportedError):
        RTCCertificate.generateCertificate(algorithm)


def test_bad_arguments():
    with pytest.raises(TypeError):
        RTCCertificate.generateCertificate("ECDSA")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        RTCCertificate("not a certificate")


def test_a_channel_error_carries_an_rtc_error_with_its_detail():
    """webrtc-pc 6.2 / 11.1: the channel's error is an RTCError "data-channel-failure"."""

    async def main() -> None:
        # b takes messages of at most 1024 bytes but its answer claims more, so a
        # sends one it cannot take: b's channel fails (the library's CHANNEL_ERROR).
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config(sctpMaxMessageSize=1024))
        local = a.createDataChannel("x")
        remote_future = event_future(b, "datachannel")
        opened = event_future(local, "open")
        await a.setLocalDescription(await a.createOffer())
        await b.setRemoteDescription(a.localDescription)
        await b.setLocalDescription(await b.createAnswer())
        sdp = re.sub(r"a=max-message-size:\d+", "a=max-message-size:262144", b.localDescription.sdp)
        await a.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        await asyncio.wait_for(opened, TIMEOUT)
        failed = event_future(remote, "error")
        local.send(bytes(16 * 1024))
        error = await asyncio.wait_for(failed, TIMEOUT)
        assert isinstance(error, RTCError) and isinstance(error, OperationError)
        assert error.errorDetail == "data-channel-failure"
        assert error.sctpCauseCode is None and error.sdpLineNumber is None
        assert str(error)
        await a.close()
        await b.close()

    run(main())
