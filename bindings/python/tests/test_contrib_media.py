"""omnirtc.contrib.media, aiortc's names and arguments: MediaPlayer,
MediaRecorder, MediaRelay, MediaBlackhole."""

from __future__ import annotations

import asyncio
import contextlib
import fractions
from types import SimpleNamespace

import av
import pytest
from conftest import TIMEOUT, connect, event_future, loopback_config, run
from mediaframes import GREEN, HEIGHT, RED, WIDTH, ColourTrack, ToneTrack, centre_colour, near, write_clip
from omnirtc import MediaStreamError, MediaStreamTrack, RTCPeerConnection
from omnirtc.contrib.media import MediaBlackhole, MediaPlayer, MediaRecorder, MediaRelay
from omnirtc.frameencoder import PacketPacker


class Take(MediaStreamTrack):
    """The first ``count`` frames of ``source``, then the end."""

    def __init__(self, source: MediaStreamTrack, count: int) -> None:
        super().__init__(source.kind)
        self.source, self.left = source, count

    async def recv(self):
        if self.left == 0:
            self.stop()
            raise MediaStreamError("taken")
        self.left -= 1
        return await self.source.recv()


def decoded_video(path: str) -> list[av.VideoFrame]:
    with av.open(path) as container:
        return list(container.decode(video=0))


@pytest.mark.parametrize("suffix", ["mp4", "webm"])
def test_media_recorder_writes_received_frames_a_file_pyav_reads(tmp_path, suffix, counters_back):
    async def main():
        path = str(tmp_path / f"received.{suffix}")
        await record_received(path, ColourTrack(count=60))
        frames = decoded_video(path)
        assert len(frames) == 30
        assert {(f.width, f.height) for f in frames} == {(WIDTH, HEIGHT)}
        assert near(centre_colour(frames[-1]), RED)
        with av.open(path) as container:
            # 30 frames at 30 a second: a second, give or take a frame's length
            assert abs(container.duration / av.time_base - 1.0) <= 1 / 30 + 1e-6

    run(main())


async def record_received(path: str, *sources: MediaStreamTrack) -> None:
    """One peer sends ``sources`` to another, whose MediaRecorder writes the first second received of each (30 video
    frames, 50 audio frames) into ``path``."""
    a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
    for source in sources:
        a.addTrack(source)
    remotes: list = []
    b.on("track", remotes.append)
    await connect(a, b)
    recorder = MediaRecorder(path)
    for remote in remotes:
        recorder.addTrack(Take(remote, 30 if remote.kind == "video" else 50))
    await recorder.start()
    await asyncio.wait_for(remote_ended(recorder), TIMEOUT)
    await recorder.stop()
    await a.close()
    await b.close()


async def remote_ended(recorder: MediaRecorder) -> None:
    """Until the recorder has read all of its tracks."""
    await asyncio.gather(*recorder._MediaRecorder__tasks.values())


@pytest.mark.parametrize("suffix", ["wav", "ogg"])
def test_media_recorder_writes_audio_files(tmp_path, suffix):
    async def main():
        path = str(tmp_path / f"tone.{suffix}")
        recorder = MediaRecorder(path)
        recorder.addTrack(Take(ToneTrack(), 50))  # a second
        await recorder.start()
        await asyncio.wait_for(remote_ended(recorder), TIMEOUT)
        await recorder.stop()
        with av.open(path) as container:
            samples = sum(f.samples for f in container.decode(audio=0))
        rate = 48000
        # a second of samples (an Opus file may pad the last packet)
        assert rate <= samples <= rate + 960

    run(main())


def test_media_player_paces_loops_and_ends(tmp_path):
    async def main():
        path = str(tmp_path / "clip.mp4")
        write_clip(path, 10)
        once = MediaPlayer(path)
        frames = []
        with pytest.raises(MediaStreamError):
            while True:
                frames.append(await asyncio.wait_for(once.video.recv(), TIMEOUT))
        assert len(frames) == 10 and once.video.readyState == "ended"
        assert [f.pts for f in frames] == [i * 3000 for i in range(10)]
        looped = MediaPlayer(path, loop=True)
        frames = [await asyncio.wait_for(looped.video.recv(), TIMEOUT) for _ in range(25)]
        # playing on past the end, time still going forward
        assert all(b.pts > a.pts for a, b in zip(frames, frames[1:]))
        looped.video.stop()

    run(main())


def test_media_relay_gives_each_subscriber_every_frame_and_blackhole_drains():
    async def main():
        source = ColourTrack(count=5)
        relay = MediaRelay()
        first, second = relay.subscribe(source), relay.subscribe(source)

        async def read_all(track):
            frames = []
            with contextlib.suppress(MediaStreamError):
                while True:
                    frames.append(await asyncio.wait_for(track.recv(), TIMEOUT))
            return frames

        # both subscribers reading before the source's first frame: each gets them all, then the end
        got_first, got_second = await asyncio.gather(read_all(first), read_all(second))
        assert [f.pts for f in got_first] == [f.pts for f in got_second] == [i * 3000 for i in range(5)]
        assert first.readyState == second.readyState == "ended"
        blackhole = MediaBlackhole()
        drained = ColourTrack(count=3)
        blackhole.addTrack(drained)
        await blackhole.start()
        ended = event_future(drained, "ended")
        await asyncio.wait_for(ended, TIMEOUT)
        assert drained.sent == 3
        await blackhole.stop()

    run(main())


def file_packets(path: str, kind: str) -> list[bytes]:
    with av.open(path) as container:
        return [bytes(p) for p in container.demux(**{kind: 0}) if p.size]


@pytest.mark.parametrize("suffix", ["webm", "mp4"])
def test_media_player_without_decoding_sends_the_files_packets_as_they_are(tmp_path, suffix):
    async def main():
        path = str(tmp_path / f"clip.{suffix}")
        write_clip(path, 20, with_audio=True, b_frames=False)
        player = MediaPlayer(path, decode=False)
        # webm: VP8 and Opus both pass; mp4: H264 passes, AAC has no track (as in aiortc)
        assert player.video.codec == ("video/VP8" if suffix == "webm" else "video/H264")
        assert (player.audio.codec if player.audio else None) == ("audio/opus" if suffix == "webm" else None)
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.addTrack(player.video)
        remote_future = event_future(b, "track")
        await connect(a, b)
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        assert remote.kind == "video"
        # the frames before the last (a frame is complete once the next one starts)
        received = [await asyncio.wait_for(remote.recvEncoded(), TIMEOUT) for _ in range(15)]
        await a.close()
        await b.close()
        sent = file_packets(path, "video")
        if suffix == "webm":
            # nothing decoded or encoded on the way: the file's own VP8 frames arrive
            assert [f.data for f in received] == sent[:15]
        else:
            # H264 as Annex B: each access unit carries the file's NAL units (SPS/PPS before the keyframe)
            assert received[0].keyframe
            decoder = av.CodecContext.create("h264", "r")
            frames = [f for e in received for f in decoder.decode(av.Packet(e.data))]
            frames += decoder.decode(None)
            assert len(frames) == 15
            assert {(f.width, f.height) for f in frames} == {(WIDTH, HEIGHT)}
            assert near(centre_colour(frames[-1]), GREEN)

    run(main())


def test_media_player_refuses_h264_with_b_frames_without_decoding(tmp_path):
    path = str(tmp_path / "clip.mp4")
    write_clip(path, 10)
    with pytest.raises(ValueError, match="B-frames"):
        MediaPlayer(path, decode=False)
    assert MediaPlayer(path).video is not None  # decoded, the frames come in the order they are shown


def test_media_player_without_decoding_paces_and_loops_packets(tmp_path):
    async def main():
        path = str(tmp_path / "clip.webm")
        write_clip(path, 10)
        looped = MediaPlayer(path, decode=False, loop=True)
        started = asyncio.get_running_loop().time()
        packets = [await asyncio.wait_for(looped.video.recv(), TIMEOUT) for _ in range(25)]
        elapsed = asyncio.get_running_loop().time() - started
        looped.video.stop()
        assert all(isinstance(p, av.Packet) for p in packets)
        times = [float(p.pts * p.time_base) for p in packets]
        assert times[0] == 0 and all(b > a for a, b in zip(times, times[1:]))
        # paced to the file's clock: 25 packets at 30/s span 0.8 s of it
        assert elapsed >= times[-1] - 0.05

    run(main())


def test_a_packet_without_a_duration_lasts_until_the_next_packets_pts():
    packer = PacketPacker(SimpleNamespace(kind="video", codec="video/VP8"))
    samples = []
    for pts, duration in [(0, 0), (40, 0), (100, 33)]:  # ms
        packet = av.Packet(bytes([pts]))
        packet.pts, packet.duration, packet.time_base = pts, duration, fractions.Fraction(1, 1000)
        samples += packer.pack(packet)
    assert [data for data, _ in samples] == [bytes([0]), bytes([40]), bytes([100])]
    # 40 ms, 60 ms, then the packet's own 33 ms (as 90 kHz ticks, in whole microseconds rounded up)
    assert [round(d * 90000) for _, d in samples] == [3600, 5400, 2970]


@pytest.mark.parametrize("suffix", ["mp4", "webm"])
def test_media_recorder_writes_video_and_audio_whichever_comes_first(tmp_path, suffix):
    """The file's header holds each stream's size: nothing is written before the video's first frame came, though the
    audio's come earlier."""

    async def main():
        path = str(tmp_path / f"received.{suffix}")
        await record_received(path, ColourTrack(count=60), ToneTrack())
        frames = decoded_video(path)
        assert len(frames) == 30
        assert {(f.width, f.height) for f in frames} == {(WIDTH, HEIGHT)}
        with av.open(path) as container:
            samples = sum(f.samples for f in container.decode(audio=0))
        assert samples >= 40 * 960  # most of the second of tone (the encoder keeps a little back)

    run(main())
