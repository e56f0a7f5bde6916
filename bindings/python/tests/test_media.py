"""Media between two Python peers: frames, RTP, keyframe requests, files, errors.

The frames are read as received (recvEncoded()): these tests need no PyAV
(scripts/test-dist-arches.sh runs some where it is not installed)."""

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
        got = [await asyncio.wait_for(remote.recvEncoded(), TIMEOUT) for _ in frames]
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
        await a.close()
        await b.close()
        with pytest.raises(MediaStreamError):
            await remote.recv()
        track.stop()

    run(main())


def stats_entry(report, type_):
    """The first stats entry of a type, or None."""
    return next((s for s in report.values() if s.type == type_), None)


def test_stats_count_what_was_sent(counters_back):
    """getStats at both ends of a VP8 call: every RTP entry counts what was
    sent, the ends agree, and the counters move as more is sent."""

    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        track = LocalTrack("vp8", id="cam")
        a.addTrack(track)
        await connected(a, b)
        written = 0

        async def write_and_read(n):
            nonlocal written
            for _ in range(n):
                track.write_sample(vp8_frame(written, 500), 1 / 30)
                written += 1
                await asyncio.sleep(0.033)
            await asyncio.sleep(0.3)  # nothing in flight
            return await a.getStats(), await b.getStats()

        def measured(sent, got):
            remote_in, remote_out = stats_entry(sent, "remote-inbound-rtp"), stats_entry(got, "remote-outbound-rtp")
            if remote_in is None or remote_out is None:
                return 0, 0
            return remote_in.roundTripTimeMeasurements, remote_out.reportsSent

        before = (0, 0)
        for _ in range(2):
            # reports come about once a second: send until both ends have new ones
            for _ in range(10):
                sent, got = await write_and_read(10)
                now = measured(sent, got)
                if now[0] > before[0] and now[1] > before[1]:
                    break
            assert now[0] > before[0] and now[1] > before[1]
            before = now
            out, source = stats_entry(sent, "outbound-rtp"), stats_entry(sent, "media-source")
            remote_in = stats_entry(sent, "remote-inbound-rtp")
            inbound, remote_out = stats_entry(got, "inbound-rtp"), stats_entry(got, "remote-outbound-rtp")
            assert out.packetsSent == written and out.bytesSent >= 500 * written and out.nackCount == 0
            assert source.frames == written and source.trackIdentifier == "cam"
            assert sent[out.codecId].mimeType == "video/VP8" and sent[out.codecId].clockRate == 90000
            assert 0 < remote_in.packetsReceived <= out.packetsSent and remote_in.packetsLost == 0
            assert remote_in.localId == out.id and out.remoteId == remote_in.id
            assert inbound.packetsReceived == out.packetsSent and inbound.bytesReceived == out.bytesSent
            assert inbound.framesReceived == written - 1  # the last waits for the next frame's start
            assert inbound.jitter > 0 and inbound.packetsLost == 0 and inbound.nackCount == 0
            assert got[inbound.codecId].mimeType == "video/VP8"
            assert 0 < remote_out.packetsSent <= out.packetsSent and remote_out.bytesSent > 0
            assert remote_out.localId == inbound.id and remote_out.remoteTimestamp > 0
        await a.close()
        await b.close()
        track.stop()

    run(main())


def h265_nal(nal_type: int, size: int, i: int) -> bytes:
    """An Annex-B H.265 NAL unit of `size` bytes with header, no zero bytes in it."""
    body = bytes(0x10 + (i + k) % 0xE0 for k in range(2, size))
    return b"\x00\x00\x00\x01" + bytes([nal_type << 1, 1]) + body


def h265_frame(i: int) -> bytes:
    """Every 30th access unit VPS, SPS, PPS and a 5000-byte IDR (fragmented), else a TRAIL_R."""
    if i % 30:
        return h265_nal(1, 900, i)
    return h265_nal(32, 24, i) + h265_nal(33, 40, i) + h265_nal(34, 8, i) + h265_nal(19, 5000, i)


@pytest.mark.parametrize("codec", ["audio/PCMA", "audio/G722", "video/H265"])
def test_samples_of_more_codecs_arrive_equal(codec, counters_back):
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        track = LocalTrack(codec)
        a.addTrack(track)
        remote_future = event_future(b, "track")
        await connected(a, b)
        video = codec.startswith("video/")
        frames = [h265_frame(i) if video else bytes((i * 7 + k) % 256 for k in range(160)) for i in range(40)]

        async def send_all():
            for frame in frames + frames[-1:]:
                track.write_sample(frame, 1 / 30 if video else 0.02)
                await asyncio.sleep(0.005)

        sending = asyncio.ensure_future(send_all())
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        got = [await asyncio.wait_for(remote.recvEncoded(), TIMEOUT) for _ in frames]
        await sending
        assert remote.codec["mimeType"] == codec  # the received one, since its unmute
        assert [f.data for f in got] == frames
        assert [f.keyframe for f in got] == [not video or i % 30 == 0 for i in range(40)]
        await a.close()
        await b.close()
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
    return [(await asyncio.wait_for(remote.recvEncoded(), TIMEOUT)).data[-1:] for _ in range(count)]


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


def test_replace_track_switches_the_media_and_remove_track_mutes_the_remote_track(counters_back):
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
        muted = event_future(remote, "mute")
        await connect(a, b)
        await asyncio.wait_for(muted, TIMEOUT)
        # webrtc-pc 4.4.1.6: muted, not ended (only its transceiver's stop ends it)
        assert remote.muted and remote.readyState == "live"
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


def test_get_capabilities_lists_the_offered_codecs():
    """webrtc-pc 5.2 getCapabilities, in aiortc's shape."""
    from omnirtc import InvalidArgumentError, RTCRtpReceiver, RTCRtpSender

    audio = RTCRtpSender.getCapabilities("audio")
    opus = next(c for c in audio.codecs if c.mimeType == "audio/opus")
    assert (opus.clockRate, opus.channels, opus.parameters.get("useinbandfec")) == (48000, 2, "1")
    video = RTCRtpReceiver.getCapabilities("video")
    assert {"video/VP8", "video/VP9", "video/H264", "video/AV1"} <= {c.mimeType for c in video.codecs}
    assert [c.mimeType for c in video.codecs].count("video/rtx") == 1
    assert any("sdes:mid" in e.uri for e in video.headerExtensions)
    assert RTCRtpSender.getCapabilities("video") == video
    with pytest.raises(InvalidArgumentError):
        RTCRtpSender.getCapabilities("data")
