"""omnirtc.contrib.media, aiortc's names and arguments: MediaPlayer,
MediaRecorder, MediaRelay, MediaBlackhole."""

from __future__ import annotations

import asyncio
import contextlib

import av
import pytest
from conftest import TIMEOUT, connect, event_future, loopback_config, run
from mediaframes import HEIGHT, RED, WIDTH, ColourTrack, ToneTrack, centre_colour, near, write_clip
from omnirtc import MediaStreamError, MediaStreamTrack, RTCPeerConnection
from omnirtc.contrib.media import MediaBlackhole, MediaPlayer, MediaRecorder, MediaRelay


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
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.addTrack(ColourTrack(count=60))
        remote_future = event_future(b, "track")
        await connect(a, b)
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        path = str(tmp_path / f"received.{suffix}")
        recorder = MediaRecorder(path)
        recorder.addTrack(Take(remote, 30))
        await recorder.start()
        await asyncio.wait_for(remote_ended(recorder), TIMEOUT)
        await recorder.stop()
        await a.close()
        await b.close()
        frames = decoded_video(path)
        assert len(frames) == 30
        assert {(f.width, f.height) for f in frames} == {(WIDTH, HEIGHT)}
        assert near(centre_colour(frames[-1]), RED)
        with av.open(path) as container:
            # 30 frames at 30 a second: a second, give or take a frame's length
            assert abs(container.duration / av.time_base - 1.0) <= 1 / 30 + 1e-6

    run(main())


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
