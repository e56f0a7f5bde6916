"""Decodes a remote track's encoded frames into ``av`` frames, as aiortc's
``recv()`` returns them, on a worker thread of the track's own. The track's
first ``recv()`` opens it for the track's codec, the one its packets carry.

Video frames carry the RTP timestamp as pts (time base 1/90000); audio frames
are packed s16 at the codec's rate (Opus: 48 kHz stereo; PCMU/PCMA: 8 kHz
mono), pts counting samples. After lost packets or a decoder error the
decoder drops frames until a keyframe and asks the sender for one (a PLI).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import fractions
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import av

from .exceptions import InvalidHandleError, InvalidStateError, NotSupportedError
from .mediastreams import EncodedFrame, MediaStreamError

if TYPE_CHECKING:
    from .mediastreams import RemoteStreamTrack

# (FFmpeg decoder, output layout) by the codec's MIME subtype
DECODERS: dict[str, tuple[str, str]] = {
    "vp8": ("libvpx", ""),
    "vp9": ("libvpx-vp9", ""),
    "h264": ("h264", ""),
    "opus": ("libopus", "stereo"),
    "pcmu": ("pcm_mulaw", "mono"),
    "pcma": ("pcm_alaw", "mono"),
}
KEYFRAME_REQUEST_INTERVAL = 0.25  # seconds between PLIs while waiting for one keyframe


class FrameDecoder:
    """Decodes a remote track's encoded frames into ``av`` frames on a worker thread; the track's decoder in "decoded"
    receive mode."""

    def __init__(self, track: RemoteStreamTrack) -> None:
        """A decoder for ``track``'s codec. Raises ValueError for a codec without a decoder (VP8, H264, Opus, PCMU and
        PCMA have one)."""
        mime = str(track.codec.get("mimeType", ""))
        subtype = mime.split("/")[-1].lower()
        if subtype not in DECODERS:
            raise NotSupportedError(
                f"recv() has no decoder for {mime!r} (only {', '.join(sorted(DECODERS))}): "
                "read its encoded frames with recvEncoded()"
            )
        name, layout = DECODERS[subtype]
        self._track = track
        self._video = track.kind == "video"
        self._rate = int(track.codec.get("clockRate", 90000))
        if subtype == "opus":
            self._rate = 48000
        context: Any = av.CodecContext.create(name, "r")
        if not self._video:
            context.sample_rate = self._rate
            context.layout = layout
            self._resampler = av.AudioResampler(format="s16", layout=layout, rate=self._rate)
        self._context = context
        self._time_base = fractions.Fraction(1, self._rate)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omnirtc-decode")
        self._ready: collections.deque[Any] = collections.deque()
        self._waiting_keyframe = self._video
        self._last_request = 0.0
        self._unwrapped: int | None = None  # the last RTP timestamp, unwrapped
        self._audio_pts = 0
        self.errors = 0  # frames the decoder rejected

    async def next(self) -> Any:
        """The next decoded frame; MediaStreamError once the track has ended, TypeError for a track in "rtp" receive
        mode."""
        loop = asyncio.get_running_loop()
        while not self._ready:
            try:
                encoded = await self._track.recvEncoded()
            except MediaStreamError:
                self.close()  # the track's end: nothing more to decode
                raise
            if not isinstance(encoded, EncodedFrame):
                raise TypeError("a decoded track receives frames, not RTP packets")
            frames = await loop.run_in_executor(self._pool, self._decode, encoded)
            if self._waiting_keyframe and time.monotonic() - self._last_request >= KEYFRAME_REQUEST_INTERVAL:
                self._last_request = time.monotonic()
                # best effort: a track that ended (or whose peer closed) still hands over what it queued
                with contextlib.suppress(InvalidHandleError, InvalidStateError):
                    self._track.requestKeyframe()
            self._ready.extend(frames)
        return self._ready.popleft()

    def _decode(self, encoded: EncodedFrame) -> list[Any]:
        if self._video:
            if encoded.lost and not self._waiting_keyframe:
                self._waiting_keyframe, self._last_request = True, 0.0  # a new loss: ask at once
            if self._waiting_keyframe and not encoded.keyframe:
                return []
        pts = self._unwrap(encoded.timestamp)
        try:
            frames = self._context.decode(av.Packet(encoded.data))
        except av.FFmpegError:
            self.errors += 1
            self._waiting_keyframe = self._video
            return []
        self._waiting_keyframe = False
        out: list[Any] = []
        for frame in frames:
            if self._video:
                frame.pts, frame.time_base = pts, self._time_base
                out.append(frame)
                continue
            for packed in self._resampler.resample(frame):
                packed.pts, packed.time_base = self._audio_pts, self._time_base
                self._audio_pts += packed.samples
                out.append(packed)
        return out

    def _unwrap(self, timestamp: int) -> int:
        if self._unwrapped is None:
            self._unwrapped = timestamp
        else:
            delta = (timestamp - self._unwrapped) & 0xFFFFFFFF
            self._unwrapped += delta - (1 << 32) if delta >= 1 << 31 else delta
        return self._unwrapped

    def close(self) -> None:
        """Stop the worker thread."""
        self._pool.shutdown(wait=False)
