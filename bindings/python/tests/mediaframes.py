"""Shared helpers of the decoded-media tests: tracks of numpy frames and checks."""

from __future__ import annotations

import fractions

import av
import numpy
from omnirtc import AudioStreamTrack, MediaStreamError, VideoStreamTrack

WIDTH, HEIGHT = 320, 240
RED = (230, 40, 40)
GREEN = (40, 200, 60)
TONE_HZ = 440


class ColourTrack(VideoStreamTrack):
    """A user subclass as aiortc programs write them: numpy frames of one colour,
    ``count`` of them (then the track ends), or endless when count is None."""

    def __init__(self, colour: tuple[int, int, int] = RED, count: int | None = None) -> None:
        super().__init__()
        self.colour, self.count, self.sent = colour, count, 0

    async def recv(self) -> av.VideoFrame:
        if self.count is not None and self.sent >= self.count:
            self.stop()
            raise MediaStreamError("done")
        pts, time_base = await self.next_timestamp()
        image = numpy.empty((HEIGHT, WIDTH, 3), numpy.uint8)
        image[:, :] = self.colour
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts, frame.time_base = pts, time_base
        self.sent += 1
        return frame


class ToneTrack(AudioStreamTrack):
    """A 440 Hz sine, 20 ms frames of 48 kHz mono s16."""

    rate = 48000

    def __init__(self) -> None:
        super().__init__()
        self.samples = 0

    async def recv(self) -> av.AudioFrame:
        pts = await self._next(960, self.rate)
        t = (numpy.arange(960) + pts) / self.rate
        wave = (numpy.sin(2 * numpy.pi * TONE_HZ * t) * 12000).astype(numpy.int16)
        frame = av.AudioFrame.from_ndarray(wave.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = self.rate, pts, fractions.Fraction(1, self.rate)
        return frame


def centre_colour(frame: av.VideoFrame) -> tuple[int, ...]:
    image = frame.to_ndarray(format="rgb24")
    return tuple(int(c) for c in image[frame.height // 2, frame.width // 2])


def near(colour: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 24) -> bool:
    """Lossy coding and YUV conversion move a colour a little, never this far."""
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


def dominant_hz(frames: list[av.AudioFrame]) -> float:
    """The strongest frequency of the frames' first channel."""
    samples = numpy.concatenate([f.to_ndarray().reshape(-1)[:: len(f.layout.channels)] for f in frames])
    samples = samples.astype(numpy.float64)
    spectrum = numpy.abs(numpy.fft.rfft(samples))
    rate = frames[0].sample_rate
    return float(numpy.argmax(spectrum) * rate / len(samples))


def write_clip(path: str, frames: int, with_audio: bool = False, b_frames: bool = True) -> None:
    """A clip of ``frames`` green 320x240 frames at 30 fps (and a tone); an mp4's H264 with B-frames, or without."""
    with av.open(path, "w") as container:
        video = container.add_stream("libvpx" if path.endswith(".webm") else "libx264", rate=30)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        if not b_frames:
            video.options = {"bf": "0"}
        audio = container.add_stream("libopus" if path.endswith(".webm") else "aac", rate=48000) if with_audio else None
        image = numpy.empty((HEIGHT, WIDTH, 3), numpy.uint8)
        image[:, :] = GREEN
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = i, fractions.Fraction(1, 30)
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        if audio is not None:
            samples = numpy.zeros((1, 48000 * frames // 30), numpy.int16)
            frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
            frame.sample_rate, frame.pts = 48000, 0
            container.mux(audio.encode(frame))
            container.mux(audio.encode(None))
