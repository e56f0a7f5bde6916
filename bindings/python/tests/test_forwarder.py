"""Forwarder: a simulcast publisher's layers reach a subscriber through a server peer, one layer at a time."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from conftest import TIMEOUT, connect, loopback_config, run, wait_for

from omnirtc import ALL_SPATIAL, ALL_TEMPORAL, Forwarder, InvalidArgumentError, LocalTrack, RTCPeerConnection


async def publish(track: LocalTrack, rids: list[str]) -> None:
    """Frame i of every layer, ending with the layer's rid; each layer a keyframe every 10 frames."""
    for i in itertools.count():
        for rid in rids:
            track.write_sample(bytes([0x00 if i % 10 == 0 else 0x01]) + bytes(300) + rid.encode(), 1 / 30, rid)
        await asyncio.sleep(0.01)


def test_forwarder_switches_a_subscriber_between_simulcast_layers(counters_back):
    async def main():
        rids = ["q", "h", "f"]
        publisher, server = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        out, subscriber = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        server.setTrackReceive("none")
        subscriber.setTrackReceive("frames")
        source = LocalTrack("vp8", rids=rids)
        publisher.addTransceiver(source, direction="sendonly", sendEncodings=[{"rid": rid} for rid in rids])
        forwarded = LocalTrack("vp8", mode="rtp")
        out.addTrack(forwarded)
        tracks: list[Any] = []
        subscriber.on("track", tracks.append)
        await connect(publisher, server)
        await connect(out, subscriber)
        feeding = asyncio.ensure_future(publish(source, rids))

        with Forwarder(server.getTransceivers()[0]) as forwarder:
            with pytest.raises(InvalidArgumentError):
                forwarder.addSubscriber(forwarded, rid="x")
            with pytest.raises(InvalidArgumentError, match="spatial layer must be"):
                forwarder.addSubscriber(forwarded, rid="q", spatial=8)
            forwarder.addSubscriber(forwarded, rid="q", spatial=0)
            asked = {"rid": "q", "temporal": ALL_TEMPORAL, "spatial": 0}
            assert forwarder.getLayer(forwarded) == {**asked, "started": False, "auto": False, "target": asked, "estimate": 0}
            await wait_for(lambda: len(tracks) == 1)
            remote = tracks[0]

            async def next_tag() -> bytes:
                return (await asyncio.wait_for(remote.recvEncoded(), TIMEOUT)).data[-1:]

            while await next_tag() != b"q":
                pass
            with pytest.raises(InvalidArgumentError, match="spatial layer must be"):
                forwarder.setLayer(forwarded, rid="f", spatial=-2)
            forwarder.setLayer(forwarded, rid="f")
            while await next_tag() != b"f":
                pass
            assert [await next_tag() for _ in range(5)] == [b"f"] * 5
            layer = {"rid": "f", "temporal": ALL_TEMPORAL, "spatial": ALL_SPATIAL}
            assert forwarder.getLayer(forwarded) == {**layer, "started": True, "auto": False, "target": layer, "estimate": 0}
            forwarder.setAuto(forwarded, True)  # no estimate without "gcc": the layer set
            assert forwarder.getLayer(forwarded) == {**layer, "started": True, "auto": True, "target": layer, "estimate": 0}
            forwarder.removeSubscriber(forwarded)
        feeding.cancel()
        for pc in (publisher, server, out, subscriber):
            await pc.close()
        source.stop()
        forwarded.stop()

    run(main())
