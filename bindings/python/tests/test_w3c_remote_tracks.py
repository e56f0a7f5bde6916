"""W3C webrtc-pc 4.4.1.6 "set the remote description" for remote tracks, as
tests/node's w3c-remote-tracks: ``track`` is emitted while setRemoteDescription
runs, the track muted until media arrives; a later description that stops the
remote sending mutes it, one that sends again emits ``track`` again with the
same track; the transceiver's stop ends it."""

from __future__ import annotations

import asyncio
from typing import Any

from conftest import TIMEOUT, connect, event_future, loopback_config, run
from omnirtc import LocalTrack, RTCPeerConnection


def vp8_frame(i: int) -> bytes:
    return bytes([0x00 if i == 0 else 0x01]) + bytes([i % 256]) * 499


async def feed(track: LocalTrack) -> None:
    for i in range(100000):
        track.write_sample(vp8_frame(i), 1 / 30)
        await asyncio.sleep(0.01)


def pair() -> tuple[RTCPeerConnection, RTCPeerConnection, LocalTrack, Any]:
    a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
    track = LocalTrack("vp8", id="cam", streamId="stream")
    return a, b, track, a.addTrack(track)


async def negotiated() -> tuple[RTCPeerConnection, RTCPeerConnection, LocalTrack, Any]:
    """A pair negotiated, and b's remote track (its track event came during the negotiation)."""
    a, b, track, _ = pair()
    remote_future = event_future(b, "track")
    await connect(a, b)
    return a, b, track, await asyncio.wait_for(remote_future, TIMEOUT)


async def sending() -> tuple[RTCPeerConnection, RTCPeerConnection, LocalTrack, Any, list[Any], asyncio.Task[None]]:
    """A pair negotiated, a feeding its track: the sender, b's track events and the feeding, once the first (b's
    remote track) is unmuted."""
    a, b, track, sender = pair()
    tracks: list[Any] = []
    b.on("track", tracks.append)
    await connect(a, b)
    unmuted = event_future(tracks[0], "unmute")
    feeding = asyncio.ensure_future(feed(track))
    await asyncio.wait_for(unmuted, TIMEOUT)
    return a, b, track, sender, tracks, feeding


async def close(a: RTCPeerConnection, b: RTCPeerConnection, track: LocalTrack) -> None:
    await a.close()
    await b.close()
    track.stop()


def test_track_is_emitted_before_set_remote_description_returns_muted(counters_back):
    async def main():
        a, b, track, _ = pair()
        seen: list[tuple[Any, bool]] = []
        b.on("track", lambda t: seen.append((t, t.muted)))
        await a.setLocalDescription(await a.createOffer())
        await b.setRemoteDescription(a.localDescription)
        assert len(seen) == 1, "track was emitted before setRemoteDescription returned"
        remote, muted = seen[0]
        assert muted and remote.id == "cam" and remote.kind == "video" and remote.streamIds == ["stream"]
        assert remote.readyState == "live"
        await close(a, b, track)

    run(main())


def test_a_track_listener_added_after_set_remote_description_misses_it(counters_back):
    async def main():
        a, b, track, _ = pair()
        await a.setLocalDescription(await a.createOffer())
        await b.setRemoteDescription(a.localDescription)
        late: list[Any] = []
        b.on("track", late.append)
        await b.setLocalDescription(await b.createAnswer())
        await a.setRemoteDescription(b.localDescription)
        await asyncio.sleep(0.05)
        assert late == []
        assert b.getReceivers()[0].track.muted
        await close(a, b, track)

    run(main())


def test_the_first_packet_unmutes_the_track_and_names_its_codec(counters_back):
    async def main():
        a, b, track, remote = await negotiated()
        order: list[str] = []
        remote.on("unmute", lambda: order.append(f"unmute muted={remote.muted}"))
        feeding = asyncio.ensure_future(feed(track))
        await asyncio.wait_for(remote.recvEncoded(), TIMEOUT)
        assert order == ["unmute muted=False"]
        assert remote.codec["mimeType"] == "video/VP8" and remote.ssrc > 0
        feeding.cancel()
        await close(a, b, track)

    run(main())


def test_a_description_that_stops_the_sending_mutes_and_sending_again_emits_track_again(counters_back):
    async def main():
        a, b, track, sender, tracks, feeding = await sending()
        remote = tracks[0]
        transceiver = next(t for t in a.getTransceivers() if t.sender is sender)

        transceiver.direction = "recvonly"
        muted = event_future(remote, "mute")
        await connect(a, b)
        await asyncio.wait_for(muted, TIMEOUT)
        assert remote.muted and remote.readyState == "live"

        transceiver.direction = "sendrecv"
        unmuted = event_future(remote, "unmute")
        await connect(a, b)
        assert tracks == [remote, remote], "track was emitted again, with the same track"
        await asyncio.wait_for(unmuted, TIMEOUT)
        assert not remote.muted
        feeding.cancel()
        await close(a, b, track)

    run(main())


def test_the_track_ends_when_its_transceiver_stops(counters_back):
    async def main():
        a, b, track, remote = await negotiated()
        mutes: list[Any] = []
        remote.on("mute", lambda: mutes.append(1))
        ended = event_future(remote, "ended")
        b.getTransceivers()[0].stop()
        await asyncio.wait_for(ended, TIMEOUT)
        assert remote.readyState == "ended" and mutes == []
        await close(a, b, track)

    run(main())
