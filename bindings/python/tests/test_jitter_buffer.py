"""The "jitterBuffer" interceptor from Python: RTP sent out of order is
delivered in order, and inbound-rtp counts it."""

from __future__ import annotations

import asyncio
import struct

import pytest

from conftest import TIMEOUT, connect, event_future, loopback_config, run, wait_for
from omnirtc import InvalidConfigError, LocalTrack, RTCPeerConnection

PACKETS = 40


def vp8_packet(seq: int) -> bytes:
    """A one-packet VP8 frame numbered seq (marker set, payload type 96)."""
    return struct.pack("!BBHII", 0x80, 0x80 | 96, seq, seq * 3000, 0) + bytes([0x10, seq])


def swapped() -> list[int]:
    """0, 1, then pairs swapped: 3 2 5 4 …; a buffer starts at the first
    packet it receives, so the first ones come in order."""
    return [0, 1] + [seq for k in range(2, PACKETS, 2) for seq in (k + 1, k)]


def test_jitter_buffer_puts_rtp_back_in_order(counters_back):
    async def main():
        config = loopback_config(
            interceptors=["nack", "rtx", "stats", "jitterBuffer"],
            jitterBuffer={"targetDelayMs": 5000, "maxPackets": 256},
        )
        a, b = RTCPeerConnection(config), RTCPeerConnection(config)
        b.setTrackReceive("rtp")
        track = LocalTrack("vp8", mode="rtp")
        a.addTransceiver(track, direction="sendonly")
        remote_future = event_future(b, "track")
        await connect(a, b)
        await wait_for(lambda: a.connectionState == b.connectionState == "connected")
        for seq in swapped():
            track.write_rtp(vp8_packet(seq))
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        packets = [await asyncio.wait_for(remote.recv(), TIMEOUT) for _ in range(PACKETS)]
        assert [struct.unpack("!H", p[2:4])[0] for p in packets] == list(range(PACKETS))
        assert all(p.endswith(bytes([0x10, seq])) for seq, p in enumerate(packets))  # delivered whole
        inbound = next(s for s in (await b.getStats()).values() if s.type == "inbound-rtp")
        assert inbound.jitterBufferEmittedCount == PACKETS and inbound.packetsDiscarded == 0
        assert inbound.jitterBufferTargetDelay == pytest.approx(5.0 * PACKETS)
        assert 0 <= inbound.jitterBufferDelay < inbound.jitterBufferTargetDelay
        await a.close()
        await b.close()
        track.stop()

    run(main())


@pytest.mark.parametrize(
    "engine, key",
    [
        ({"interceptors": ["jitterBuffer"], "jitterBuffer": {"targetDelayMs": 0}}, "targetDelayMs"),
        ({"interceptors": ["jitterBuffer"], "jitterBuffer": {"maxPackets": "many"}}, "maxPackets"),
        ({"jitterBuffer": {"maxPackets": 64}}, "interceptors"),
    ],
)
def test_bad_jitter_buffer_options_raise(engine, key):
    with pytest.raises(InvalidConfigError, match=key):
        RTCPeerConnection(loopback_config(**engine))
