"""Decoded media between two OmniRTC peers (the media extra, PyAV): user
tracks of numpy frames are encoded, sent and decoded back into av frames,
which a remote track's recv() returns by default, as aiortc's (issue 23)
(webrtc-pc 5.1 addTrack; 5.3 RTCRtpReceiver track; RFC 4585 6.3.1 PLI)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any

import av
import numpy
import pytest
from conftest import TIMEOUT, connect, event_future, loopback_config, run, wait_for
from mediaframes import HEIGHT, RED, TONE_HZ, WIDTH, ColourTrack, ToneTrack, centre_colour, dominant_hz, near
from omnirtc import (
    EncodedFrame,
    InvalidArgumentError,
    InvalidHandleError,
    LocalTrack,
    MediaStreamError,
    RTCPeerConnection,
    RTCRtpSender,
    VideoStreamTrack,
)


async def pair(**engine):
    """Two peers as an aiortc program makes them: no setTrackReceive."""
    return RTCPeerConnection(loopback_config(**engine)), RTCPeerConnection(loopback_config(**engine))


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
        a, b = await pair()
        source = VideoStreamTrack()
        sender = a.addTrack(source)
        requests = []
        sender.on("keyframerequest", lambda kind, rid: requests.append(kind))
        remote = await negotiated(a, b)
        first = await asyncio.wait_for(remote.recvEncoded(), TIMEOUT)
        assert isinstance(first, EncodedFrame) and first.keyframe
        # keyframes only on request (the encoder's interval is 100 s): wait for a delta frame
        while (await asyncio.wait_for(remote.recvEncoded(), TIMEOUT)).keyframe:
            pass
        for _ in range(3):
            assert not (await asyncio.wait_for(remote.recvEncoded(), TIMEOUT)).keyframe
        remote.requestKeyframe()
        await wait_for(lambda: requests == ["pli"])
        while not (await asyncio.wait_for(remote.recvEncoded(), TIMEOUT)).keyframe:
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


@pytest.mark.parametrize("mode", ["decoded", "frames"])
def test_encoded_access_stays_with_recvEncoded(mode, counters_back):
    """recvEncoded() gives the encoded frames in any receive mode, and recv()
    too in "frames" mode, for programs written for encoded recv()."""

    async def main():
        a, b = await pair()
        b.setTrackReceive(mode)
        a.addTrack(ColourTrack(count=5))
        remote = await negotiated(a, b)
        read = remote.recv if mode == "frames" else remote.recvEncoded
        frame = await asyncio.wait_for(read(), TIMEOUT)
        assert isinstance(frame, EncodedFrame) and frame.keyframe
        await a.close()
        await b.close()
        with pytest.raises(MediaStreamError):
            await remote.recv()

    run(main())


def mulaw_tone(frames: int) -> list[bytes]:
    """TONE_HZ at 8 kHz in G.711 mu-law, 20 ms (160 bytes) a frame."""
    encoder: Any = av.CodecContext.create("pcm_mulaw", "w")
    encoder.sample_rate, encoder.layout, encoder.format = 8000, "mono", "s16"
    t = numpy.arange(160 * frames) / 8000
    wave = (numpy.sin(2 * numpy.pi * TONE_HZ * t) * 12000).astype(numpy.int16)
    frame = av.AudioFrame.from_ndarray(wave.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate, frame.pts = 8000, 0
    data = b"".join(bytes(packet) for packet in [*encoder.encode(frame), *encoder.encode(None)])
    return [data[i : i + 160] for i in range(0, len(data), 160)]


def first_audio_codec(sdp: str) -> str:
    """The encoding name of the m=audio section's first payload type."""
    lines = sdp.splitlines()
    payload_type = next(line.split()[3] for line in lines if line.startswith("m=audio"))
    return next(line.split()[1].split("/")[0] for line in lines if line.startswith(f"a=rtpmap:{payload_type} "))


def test_pcmu_is_decoded_as_pcmu_while_the_descriptions_list_opus_first(counters_back):
    """The decoder opens for the codec the packets carry, which the track's
    unmute names (the first packet's payload type), not the description's
    first, which the track event (at setRemoteDescription) has."""

    async def main():
        a, b = await pair()
        track = LocalTrack("audio/PCMU")
        a.addTrack(track)
        remote_future = event_future(b, "track")
        await connect(a, b)
        assert first_audio_codec(a.localDescription.sdp) == first_audio_codec(b.localDescription.sdp) == "opus"
        await wait_for(lambda: a.connectionState == b.connectionState == "connected")

        async def send_all():
            for frame in mulaw_tone(60):
                track.write_sample(frame, 0.02)
                await asyncio.sleep(0.02)

        sending = asyncio.ensure_future(send_all())
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        frames = [await asyncio.wait_for(remote.recv(), TIMEOUT) for _ in range(40)]
        assert remote.codec["mimeType"] == "audio/PCMU"
        await sending
        assert all(isinstance(f, av.AudioFrame) for f in frames)
        assert {(f.sample_rate, f.format.name, f.layout.name) for f in frames} == {(8000, "s16", "mono")}
        assert sum(f.samples for f in frames) == 40 * 160
        assert abs(dominant_hz(frames) - TONE_HZ) < 10
        await a.close()
        await b.close()
        track.stop()

    run(main())


# A program run without PyAV: a finder refuses `import av`, as without the
# media extra, and records each attempt.
WITHOUT_PYAV = """
import asyncio, sys
attempts = []

class NoPyAV:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.split(".")[0] == "av":
            attempts.append(name)
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, NoPyAV)
sys.path.insert(0, sys.argv[1])
from conftest import TIMEOUT, connect, event_future, open_pair
from omnirtc import EncodedFrame, LocalTrack, MediaStreamError

async def main():
    a, b, local, remote = await open_pair()
    message = event_future(remote, "message")
    local.send("hello")
    assert await asyncio.wait_for(message, TIMEOUT) == "hello"
    assert attempts == [], attempts
    track = LocalTrack("vp8")
    a.addTrack(track)
    remote_track = event_future(b, "track")
    await connect(a, b)
    for i in range(11):  # the last frame waits for the next one's start
        track.write_sample(bytes([0 if i == 0 else 1]) + bytes(99), 1 / 30)
        await asyncio.sleep(0.01)
    received = await asyncio.wait_for(remote_track, TIMEOUT)
    frames = [await asyncio.wait_for(received.recvEncoded(), TIMEOUT) for _ in range(10)]
    assert all(isinstance(f, EncodedFrame) for f in frames) and frames[0].keyframe
    assert attempts == [], attempts
    try:
        await received.recv()
    except ImportError as e:
        print("recv:", e)
    assert attempts and set(attempts) <= {"av"}, attempts
    await a.close()
    await b.close()
    track.stop()
    try:
        await received.recv()
    except MediaStreamError:
        print("ended: MediaStreamError")

asyncio.run(asyncio.wait_for(main(), 60))
"""


def test_without_pyav_data_channels_never_import_it_and_recv_names_the_extra():
    """Without the media extra a data-channel program and recvEncoded() never
    import PyAV; recv() raises ImportError naming omnirtc[media] and
    recvEncoded(), and of an ended track MediaStreamError, as with PyAV."""
    tests = os.path.dirname(os.path.abspath(__file__))
    run_ = subprocess.run([sys.executable, "-c", WITHOUT_PYAV, tests], capture_output=True, text=True, timeout=90)
    assert run_.returncode == 0, run_.stdout + run_.stderr
    lines = run_.stdout.splitlines()
    assert len(lines) == 2, run_.stdout
    assert lines[0].startswith("recv:") and "omnirtc[media]" in lines[0] and "recvEncoded()" in lines[0], lines[0]
    assert lines[1] == "ended: MediaStreamError"


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


def test_codec_preferences_without_an_encoder_for_frames_are_refused():
    async def main():
        pc = RTCPeerConnection(loopback_config())
        sender = pc.addTrack(ColourTrack())
        transceiver = pc.getTransceivers()[0]
        av1 = [c for c in RTCRtpSender.getCapabilities("video").codecs if c.mimeType == "video/AV1"]
        assert av1  # offered, but PyAV's wheel has no AV1 encoder
        with pytest.raises(InvalidArgumentError, match="no encoder"):
            transceiver.setCodecPreferences(av1)
        # nothing changed: still VP8, the default, in the offer
        assert sender._frames.local.codec == "video/VP8"
        offer = await pc.createOffer()
        assert "VP8/90000" in offer.sdp
        await pc.close()

    run(main())


def test_vp9_is_encoded_and_decoded_when_the_transceiver_prefers_it(counters_back):
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.addTrack(ColourTrack())
        a.getTransceivers()[0].setCodecPreferences(
            [c for c in RTCRtpSender.getCapabilities("video").codecs if c.mimeType == "video/VP9"]
        )
        remote_future = event_future(b, "track")
        await connect(a, b)
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        frames = [await asyncio.wait_for(remote.recv(), TIMEOUT) for _ in range(30)]
        assert remote.codec["mimeType"] == "video/VP9"
        assert {(f.width, f.height) for f in frames} == {(WIDTH, HEIGHT)}
        assert near(centre_colour(frames[-1]), RED), centre_colour(frames[-1])
        await a.close()
        await b.close()

    run(main())


class EndedVideoTrack:
    """A video track that ended with one undecodable frame still queued: its keyframe requests fail as an ended
    track's do."""

    kind = "video"
    codec = {"mimeType": "video/VP8", "clockRate": 90000}

    def __init__(self) -> None:
        self.left = [EncodedFrame(data=b"\x01not a keyframe", timestamp=3000, keyframe=False)]

    async def recvEncoded(self) -> EncodedFrame:
        if not self.left:
            raise MediaStreamError("the track has ended")
        return self.left.pop()

    def requestKeyframe(self, fir: bool = False) -> None:
        raise InvalidHandleError("the track has ended")


def test_decoding_what_is_left_of_an_ended_track_ends_with_media_stream_error():
    """The decoder's own keyframe request is best effort: on a track that ended (or whose peer closed) recv() still
    reads what is queued and then ends, as in every receive mode."""
    from omnirtc.framedecoder import FrameDecoder

    async def main():
        decoder = FrameDecoder(EndedVideoTrack())  # type: ignore[arg-type]
        with pytest.raises(MediaStreamError):
            await decoder.next()

    run(main())
