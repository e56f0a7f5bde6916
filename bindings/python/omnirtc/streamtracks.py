"""aiortc's ``VideoStreamTrack`` and ``AudioStreamTrack``: paced sources of
``av`` frames (green video, silent audio) to subclass; needs PyAV
(``pip install omnirtc[media]``) when ``recv()`` runs.

Timing is aiortc's: video pts count a 90 kHz clock at 30 frames a second,
audio pts count samples at 8 kHz in 20 ms frames.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from typing import Any

from .mediastreams import MediaStreamError, MediaStreamTrack

AUDIO_PTIME = 0.020  # seconds of audio per frame
VIDEO_CLOCK_RATE = 90000
VIDEO_PTIME = 1 / 30  # seconds per video frame
VIDEO_TIME_BASE = fractions.Fraction(1, VIDEO_CLOCK_RATE)


class _PacedTrack(MediaStreamTrack):
    """Counts a timestamp in ticks of ``rate`` and sleeps until each is due."""

    _start: float
    _timestamp: int

    async def _next(self, step: int, rate: int) -> int:
        if self.readyState != "live":
            raise MediaStreamError("the track has ended")
        if hasattr(self, "_timestamp"):
            self._timestamp += step
            await asyncio.sleep(self._start + self._timestamp / rate - time.time())
        else:
            self._start = time.time()
            self._timestamp = 0
        return self._timestamp


class VideoStreamTrack(_PacedTrack):
    """aiortc's ``VideoStreamTrack``: a video track reading 640x480 green frames at 30 frames a second; subclass it and
    override ``recv()``."""

    kind = "video"

    async def next_timestamp(self) -> tuple[int, fractions.Fraction]:
        """The next frame's pts and time base, once that frame is due."""
        pts = await self._next(int(VIDEO_PTIME * VIDEO_CLOCK_RATE), VIDEO_CLOCK_RATE)
        return pts, VIDEO_TIME_BASE

    async def recv(self) -> Any:
        """The next green ``av.VideoFrame``, paced to real time; needs PyAV. Raises MediaStreamError once the track has
        ended."""
        from av import VideoFrame

        pts, time_base = await self.next_timestamp()
        frame = VideoFrame(width=640, height=480)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.pts = pts
        frame.time_base = time_base
        return frame


class AudioStreamTrack(_PacedTrack):
    """aiortc's ``AudioStreamTrack``: an audio track reading silence, 20 ms frames of 8 kHz mono s16; subclass it and
    override ``recv()``."""

    kind = "audio"

    async def recv(self) -> Any:
        """The next silent ``av.AudioFrame``, paced to real time; needs PyAV. Raises MediaStreamError once the track has
        ended."""
        from av import AudioFrame

        sample_rate = 8000
        samples = int(AUDIO_PTIME * sample_rate)
        pts = await self._next(samples, sample_rate)
        frame = AudioFrame(format="s16", layout="mono", samples=samples)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.pts = pts
        frame.sample_rate = sample_rate
        frame.time_base = fractions.Fraction(1, sample_rate)
        return frame
