"""Media between two Python peers: frames, RTP, keyframe requests, files, errors."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, Optional

import pytest

from conftest import TIMEOUT, connect, event_future, loopback_config, run, wait_for
from omnirtc import (
    EncodedFrame,
    InvalidArgumentError,
    InvalidHandleError,
    LocalTrack,
    MediaReader,
    MediaStreamError,
    MediaWriter,
    NotSupportedError,
    RTCPeerConnection,
)


def vp8_frame(i: int, size: int = 2500) -> bytes:
    """A fake VP8 frame: byte 0 bit 0 clear marks a keyframe (the first)."""
    head = bytes([0x00 if i == 0 else 0x01]) + f"frame-{i:05d}".encode()
    return head + bytes([i % 256]) * (size - len(head))


async def connected(a: RTCPeerConnection, b: RTCPeerConnection) -> None:
    """Negotiate and wait until both sides are connected: what a sender
    writes before that is dropped."""
    await connect(a, b)
    await wait_for(lambda: a.connectionState == b.connectionState == "connected")


async def send(track: LocalTrack, frames: list[bytes]) -> None:
    for frame in frames:
        track.write_sample(frame, 1 / 30)
        await asyncio.sleep(0.005)


def test_video_frames_arrive_equal_and_keyframes_are_requested(counters_back):
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        track = LocalTrack("video/VP8", id="cam", streamId="s")
        sender = a.addTrack(track)
        requests = []
        sender.on("keyframerequest", lambda kind, rid: requests.append(kind))
        remote_future = event_future(b, "track")
        await connected(a, b)
        frames = [vp8_frame(i) for i in range(40)]
        sending = asyncio.ensure_future(send(track, frames + frames[-1:]))
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        assert remote.kind == "video" and remote.id == "cam" and remote.streamIds == ["s"]
        assert remote.codec["mimeType"] == "video/VP8"
        got = [await asyncio.wait_for(remote.recv(), TIMEOUT) for _ in frames]
        await sending
        assert all(isinstance(f, EncodedFrame) for f in got)
        assert [f.data for f in got] == frames
        assert [f.keyframe for f in got] == [True] + [False] * 39
        remote.requestKeyframe()
        remote.requestKeyframe(fir=True)
        await wait_for(lambda: requests == ["pli", "fir"])
        transceiver = a.getTransceivers()[0]
        assert transceiver.mid == "0" and transceiver.currentDirection == "sendonly" and transceiver.kind == "video"
        assert b.getReceivers()[0].track is remote
        stats = await b.getStats()
        assert any(s.type == "inbound-rtp" for s in stats.values())
        await a.close()
        await b.close()
        with pytest.raises(MediaStreamError):
            await remote.recv()
        track.stop()

    run(main())


def test_rtp_mode_records_a_file(tmp_path, counters_back):
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        b.setTrackReceive("rtp")
        track = LocalTrack("vp8")
        a.addTransceiver(track, direction="sendonly")
        remote_future = event_future(b, "track")
        await connected(a, b)
        frames = [vp8_frame(i, 300) for i in range(30)]
        sending = asyncio.ensure_future(send(track, frames))
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        path = str(tmp_path / "out.ivf")
        with MediaWriter(path, codec="vp8", width=320, height=240) as writer:
            for _ in frames:
                packet = await asyncio.wait_for(remote.recv(), TIMEOUT)
                assert isinstance(packet, bytes) and packet[0] >> 6 == 2
                writer.write_rtp(packet)
        await sending
        with MediaReader(path) as reader:
            assert reader.info["codec"] == "video/VP8" and reader.info["width"] == 320
            recorded = [f.data for f in reader]
        assert recorded == frames
        await a.close()
        await b.close()
        track.stop()

    run(main())


async def feed(tracks: list[tuple[LocalTrack, Optional[str], bytes]]) -> None:
    """Writes frame i + tag to every (track, rid, tag), i = 0, 1, ...: until cancelled."""
    for i in itertools.count():
        for track, rid, tag in tracks:
            track.write_sample(vp8_frame(i, 1200) + tag, 1 / 30, rid)
        await asyncio.sleep(0.01)


async def tags(remote: Any, count: int) -> list[bytes]:
    """The tags (last byte) of the next `count` frames of a remote track."""
    return [(await asyncio.wait_for(remote.recv(), TIMEOUT)).data[-1:] for _ in range(count)]


def test_simulcast_layers_arrive_as_three_tracks_each_with_its_own_frames(counters_back):
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        rids = ["q", "h", "f"]
        track = LocalTrack("vp8", rids=rids)
        a.addTransceiver(track, direction="sendonly", sendEncodings=[{"rid": rid} for rid in rids])
        remotes: list[Any] = []
        b.on("track", remotes.append)
        await connected(a, b)
        # Each layer's frames end with its rid: swapped layers show.
        feeding = asyncio.ensure_future(feed([(track, rid, rid.encode()) for rid in rids]))
        await wait_for(lambda: len(remotes) == 3)
        assert sorted(remote.rid for remote in remotes) == sorted(rids)
        assert len(b.getTransceivers()) == 1  # one transceiver, three layers
        for remote in remotes:
            assert await tags(remote, 10) == [remote.rid.encode()] * 10, remote.rid
        feeding.cancel()
        await a.close()
        await b.close()
        track.stop()

    run(main())


def test_replace_track_switches_the_media_and_remove_track_ends_the_remote_track(counters_back):
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        first, second = LocalTrack("vp8"), LocalTrack("vp8")
        sender = a.addTrack(first)
        remote_future = event_future(b, "track")
        await connected(a, b)
        # Both tracks are fed all along; only the one the sender holds reaches b.
        feeding = asyncio.ensure_future(feed([(first, None, b"1"), (second, None, b"2")]))
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        assert b"1" in await tags(remote, 5)
        await sender.replaceTrack(second)
        assert sender.track is second
        recent: list[bytes] = []
        for _ in range(300):  # ten frames in a row of the second track: switched
            recent = (recent + await tags(remote, 1))[-10:]
            if recent == [b"2"] * 10:
                break
        assert recent == [b"2"] * 10, recent
        needed = event_future(a, "negotiationneeded")
        a.removeTrack(sender)
        assert sender.track is None
        await asyncio.wait_for(needed, TIMEOUT)
        ended = event_future(remote, "ended")
        await connect(a, b)
        await asyncio.wait_for(ended, TIMEOUT)
        assert remote.readyState == "ended"
        feeding.cancel()
        await a.close()
        await b.close()
        first.stop()
        second.stop()

    run(main())


def test_bad_media_input():
    with pytest.raises(NotSupportedError, match="unknown codec"):
        LocalTrack("video/MPEG2")
    rtp_track = LocalTrack("opus", mode="rtp")
    with pytest.raises(InvalidArgumentError, match="malformed RTP"):
        rtp_track.write_rtp(b"\x80\x00")
    rtp_track.stop()
    with pytest.raises(InvalidHandleError, match="closed"):
        rtp_track.write_rtp(bytes(12))
    with pytest.raises(InvalidArgumentError):
        MediaReader("/etc/hostname")

    async def main():
        pc = RTCPeerConnection(loopback_config())
        with pytest.raises(InvalidArgumentError):
            pc.addTransceiver("audio", direction="sideways")
        transceiver = pc.addTransceiver("audio")
        video = LocalTrack("vp8")
        with pytest.raises(InvalidArgumentError):
            await transceiver.sender.replaceTrack(video)
        with pytest.raises(InvalidArgumentError):
            transceiver.setCodecPreferences([{"mimeType": "video/VP8"}])
        transceiver.setCodecPreferences([{"mimeType": "audio/PCMU"}])
        offer = await pc.createOffer()
        assert "PCMU/8000" in offer.sdp and "opus/48000" not in offer.sdp
        video.stop()
        await pc.close()

    run(main())
