"""Rollback (W3C webrtc-pc 4.4.1.6 "set the RTCSessionDescription") and the
transceiver direction setter (5.4), as in the Node and C suites."""

from __future__ import annotations

import asyncio

import pytest
from conftest import TIMEOUT, connect, event_future, loopback_config, run, wait_for
from omnirtc import InvalidStateError, RTCPeerConnection, RTCSessionDescription

ROLLBACK = RTCSessionDescription(sdp="", type="rollback")


def test_rollback_without_a_pending_offer_is_a_state_error():
    """4.4.1.6: no pending offer, through either method."""

    async def main():
        pc = RTCPeerConnection(loopback_config())
        with pytest.raises(InvalidStateError):
            await pc.setLocalDescription(ROLLBACK)
        with pytest.raises(InvalidStateError):
            await pc.setRemoteDescription(ROLLBACK)
        assert pc.signalingState == "stable"
        await pc.close()

    run(main())


def test_local_offer_rolls_back_and_a_remote_offer_rolls_back_a_local_one():
    """4.4.1.6: rollback of a local offer (mid cleared), of a remote offer in a
    renegotiation (transceiver it made removed), and the implicit rollback."""

    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.createDataChannel("first")
        await connect(a, b)
        current = b.remoteDescription.sdp
        transceiver = a.addTransceiver("video")
        await a.setLocalDescription(await a.createOffer())
        assert transceiver.mid is not None
        await a.setLocalDescription(ROLLBACK)
        assert a.signalingState == "stable"
        assert transceiver.mid is None

        await a.setLocalDescription(await a.createOffer())
        await b.setRemoteDescription(a.localDescription)
        await b.setRemoteDescription(ROLLBACK)
        assert b.signalingState == "stable"
        assert b.remoteDescription.sdp == current

        states: list[str] = []
        a.on("signalingstatechange", lambda: states.append(a.signalingState))
        channel = event_future(a, "datachannel")
        b.createDataChannel("second")
        await b.setLocalDescription(await b.createOffer())
        assert "m=video" not in b.localDescription.sdp
        await a.setRemoteDescription(b.localDescription)  # a's own offer is pending
        assert a.signalingState == "have-remote-offer"
        await a.setLocalDescription(await a.createAnswer())
        await b.setRemoteDescription(a.localDescription)
        assert (await asyncio.wait_for(channel, TIMEOUT)).label == "second"
        await wait_for(lambda: states[-3:] == ["stable", "have-remote-offer", "stable"])
        await a.close()
        await b.close()

    run(main())


def test_direction_setter_asks_for_negotiation():
    """5.4: direction changes at once, negotiationneeded fires, currentDirection
    follows only once negotiated; a stopped transceiver refuses."""

    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        transceiver = a.addTransceiver("audio")
        await connect(a, b)
        assert transceiver.currentDirection == "sendonly"  # b has nothing to send
        needed = event_future(a, "negotiationneeded")
        transceiver.direction = "inactive"
        assert transceiver.direction == "inactive"
        assert transceiver.currentDirection == "sendonly"
        await asyncio.wait_for(needed, TIMEOUT)
        with pytest.raises(ValueError):
            transceiver.direction = "upwards"
        await connect(a, b)
        assert transceiver.currentDirection == "inactive"
        transceiver.stop()
        with pytest.raises(InvalidStateError):
            transceiver.direction = "sendrecv"
        await a.close()
        await b.close()

    run(main())
