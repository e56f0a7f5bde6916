"""Decoded media between two OmniRTC peers (the media extra, PyAV): user
tracks of numpy frames are encoded, sent and decoded back into av frames
(webrtc-pc 5.1 addTrack; 5.3 RTCRtpReceiver track; RFC 4585 6.3.1 PLI)."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import av
import pytest
from conftest import TIMEOUT, connect, event_future, loopback_config, run, wait_for
from mediaframes import HEIGHT, RED, TONE_HZ, WIDTH, ColourTrack, ToneTrack, centre_colour, dominant_hz, near
from omnirtc import EncodedFrame, MediaStreamError, RTCPeerConnection, VideoStreamTrack


async def pair(decoded: bool = True, **engine):
    a, b = RTCPeerConnection(loopback_config(**engine)), RTCPeerConnection(loopback_config(**engine))
    if decoded:
        b.setTrackReceive("decoded")
    return a, b


async def negotiated(a, b):
    remote = event_future(b, "track")
    await connect(a, b)
    return await asyncio.wait_for(remote, TIMEOUT)


def test_a_video_subclass_of_numpy_frames_arrives_decoded(counters_back):
    async def main():
        a, b = await pair()
        source = ColourTrack(count=40)
        sender = a.addTrack(source)
        assert sender.track is source
        remote = await negotiated(a, b)
        assert remote.kind == "video" and remote.id == source.id
        frames = [await asyncio.wait_for(remote.recv(), TIMEOUT) for _ in range(30)]
        assert all(isinstance(f, av.VideoFrame) for f in frames)
        assert {(f.width, f.height) for f in frames} == {(WIDTH, HEIGHT)}
        assert all(near(centre_colour(f), RED) for f in frames), [centre_colour(f) for f in frames[:3]]
        # pts are the RTP timestamps, 1/90000 s: 30 frames a second as sent
        assert {f.time_base.denominator for f in frames} == {90000}
        assert {b.pts - a.pts for a, b in zip(frames, frames[1:])} == {3000}
        await a.close()
        await b.close()

    run(main())


def test_an_audio_subclass_arrives_decoded_as_the_same_tone(counters_back):
    async def main():
        a, b = await pair()
        source = ToneTrack()
        transceiver = a.addTransceiver(source, direction="sendonly")  # as addTrack
        assert transceiver.sender.track is source
        remote = await negotiated(a, b)
        assert remote.kind == "audio" and remote.codec["mimeType"] == "audio/opus"
        frames = [await asyncio.wait_for(remote.recv(), TIMEOUT) for _ in range(50)]
        assert all(isinstance(f, av.AudioFrame) for f in frames)
        assert {(f.sample_rate, f.format.name, f.layout.name) for f in frames} == {(48000, "s16", "stereo")}
        assert {f.samples for f in frames} == {960}
        assert [f.pts for f in frames] == [i * 960 for i in range(50)]
        # the first frames are the codec's start-up; the tone holds after
        assert abs(dominant_hz(frames[10:]) - TONE_HZ) < 10
        source.stop()
        await a.close()
        await b.close()

    run(main())


def test_a_keyframe_request_makes_the_encoder_send_a_keyframe(counters_back):
    async def main():
        a, b = await pair(decoded=False)
        source = VideoStreamTrack()
        sender = a.addTrack(source)
        requests = []
        sender.on("keyframerequest", lambda kind, rid: requests.append(kind))
        remote = await negotiated(a, b)
        first = await asyncio.wait_for(remote.recv(), TIMEOUT)
        assert isinstance(first, EncodedFrame) and first.keyframe
        # keyframes only on request (the encoder's interval is 100 s): wait for a delta frame
        while (await asyncio.wait_for(remote.recv(), TIMEOUT)).keyframe:
            pass
        for _ in range(3):
            assert not (await asyncio.wait_for(remote.recv(), TIMEOUT)).keyframe
        remote.requestKeyframe()
        await wait_for(lambda: requests == ["pli"])
        while not (await asyncio.wait_for(remote.recv(), TIMEOUT)).keyframe:
            pass
        source.stop()
        await a.close()
        await b.close()

    run(main())


def test_the_encoder_follows_a_remb_target_bitrate(counters_back):
    async def main():
        a, b = await pair(interceptors=["nack", "rtcpReports", "remb"])
        source = VideoStreamTrack()
        sender = a.addTrack(source)
        remote = await negotiated(a, b)
        await asyncio.wait_for(remote.recv(), TIMEOUT)
        assert sender._frames.encoder.bitrate == 1_000_000
        target = event_future(a, "targetbitrate")
        remote.requestBitrate(300_000)
        assert (await asyncio.wait_for(target, TIMEOUT)).bitrate == 300_000
        assert sender._frames.encoder.bitrate == 300_000
        source.stop()
        await a.close()
        await b.close()

    run(main())


def test_encoded_access_stays_with_recvEncoded(counters_back):
    async def main():
        a, b = await pair()
        a.addTrack(ColourTrack(count=5))
        remote = await negotiated(a, b)
        frame = await asyncio.wait_for(remote.recvEncoded(), TIMEOUT)
        assert isinstance(frame, EncodedFrame) and frame.keyframe
        await a.close()
        await b.close()
        with pytest.raises(MediaStreamError):
            await remote.recv()

    run(main())


def test_a_track_without_recv_is_refused():
    async def main():
        a = RTCPeerConnection(loopback_config())
        with pytest.raises(TypeError, match="recv"):
            a.addTrack(object())
        await a.close()

    run(main())


def test_importing_omnirtc_does_not_need_pyav():
    """PyAV is the media extra's: the package imports it only when media is used."""
    check = "import sys, omnirtc; assert 'av' not in sys.modules and 'numpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", check], check=True)


def test_the_video_encoder_picks_threads_as_libwebrtc_does():
    """FFmpeg's default, a thread per core, cost libvpx 5x the CPU per 640x480 frame on 2 cores."""
    from omnirtc.frameencoder import VideoEncoder, encoder_threads

    assert [encoder_threads(640 * 480, 2), encoder_threads(1280 * 720, 4), encoder_threads(1920 * 1080, 16)] == [1, 2, 8]
    encoder = VideoEncoder("vp8")
    encoder.encode(av.VideoFrame(WIDTH, HEIGHT, "yuv420p"))
    assert encoder._context.thread_count == 1
