"""Encoders from ``av`` frames to the encoded samples a :class:`LocalTrack`
sends, on PyAV's FFmpeg: VP8 and VP9 (libvpx), H264 (libx264 where PyAV's
wheel has it), Opus (libopus), PCMU and PCMA; and the packer that sends ``av`` packets,
already encoded, as they are. They run on a sender's worker thread."""

from __future__ import annotations

import fractions
import os
from typing import Any

import av

from .mediastreams import LocalTrack

DEFAULT_VIDEO_BITRATE = 1_000_000
MIN_VIDEO_BITRATE = 100_000
MAX_VIDEO_BITRATE = 5_000_000
VIDEO_CLOCK = 90000
VIDEO_TIME_BASE = fractions.Fraction(1, VIDEO_CLOCK)

# (FFmpeg encoder, options) by codec name, as in a LocalTrack's MIME type
VIDEO_ENCODERS: dict[str, tuple[str, dict[str, str]]] = {
    "vp8": ("libvpx", {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0", "error-resilient": "1"}),
    "h264": ("libx264", {"preset": "ultrafast", "tune": "zerolatency", "forced-idr": "1", "profile": "baseline"}),
    "vp9": ("libvpx-vp9", {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0", "error-resilient": "1"}),
}
# (FFmpeg encoder, sample rate, channel layout, samples per 20 ms packet)
AUDIO_ENCODERS: dict[str, tuple[str, int, str, int]] = {
    "opus": ("libopus", 48000, "stereo", 960),
    "pcmu": ("pcm_mulaw", 8000, "mono", 160),
    "pcma": ("pcm_alaw", 8000, "mono", 160),
}

Sample = tuple[bytes, float]  # encoded data, duration in seconds


def encoder_threads(pixels: int, cpus: int) -> int:
    """Threads for a video encoder, as libwebrtc's VP8 encoder picks them.
    FFmpeg's default (one per core) costs libvpx 5x the CPU per 640x480
    frame on 2 cores, and more once the cores are busy."""
    if pixels >= 1920 * 1080 and cpus > 8:
        return 8
    if pixels > 1280 * 960 and cpus >= 6:
        return 3
    if pixels > 640 * 480 and cpus >= 3:
        return 2
    return 1


class Durations:
    """Sample durations for ``LocalTrack.write_sample`` from ticks of a media
    clock, such that the RTP timestamps advance by exactly those ticks: the
    library takes whole microseconds and counts ticks with a carried
    remainder, so each duration rounds the running total of microseconds up."""

    def __init__(self, rate: int) -> None:
        """Durations for a clock of ``rate`` ticks per second."""
        self.rate = rate
        self._ticks = 0
        self._micros = 0

    def of(self, ticks: int) -> float:
        """The duration, in seconds, of the next ``ticks`` ticks."""
        self._ticks += ticks
        micros = -(-self._ticks * 1_000_000 // self.rate)
        duration, self._micros = micros - self._micros, micros
        return (duration + 0.5) / 1e6  # whole microseconds after write_sample's int(duration * 1e6)


def encodable(mime_type: str) -> bool:
    """Whether there is an encoder for ``mime_type`` ("video/H264")."""
    kind, _, name = mime_type.lower().partition("/")
    return name in (VIDEO_ENCODERS if kind == "video" else AUDIO_ENCODERS if kind == "audio" else {})


def codec_name(track: LocalTrack) -> str:
    """ "vp8" for "video/VP8"."""
    return track.codec.split("/")[-1].lower()


class VideoEncoder:
    """Encodes ``av.VideoFrame`` objects; a new target bitrate (off by more
    than a tenth) or frame size starts a new encoder, which begins with a keyframe."""

    def __init__(self, codec: str) -> None:
        """An encoder for ``codec`` ("vp8", "vp9" or "h264") at 1 Mbit/s. Raises ValueError for another codec."""
        if codec not in VIDEO_ENCODERS:
            raise ValueError(f"no encoder for video codec {codec!r} (have {sorted(VIDEO_ENCODERS)})")
        self.name, self.options = VIDEO_ENCODERS[codec]
        self.bitrate = DEFAULT_VIDEO_BITRATE
        self.keyframe = False  # the next frame is to be a keyframe
        self._context: Any = None
        self._last_pts: int | None = None
        self._durations = Durations(90000)

    def set_bitrate(self, bitrate: int) -> None:
        """Target ``bitrate`` bits/s, clamped to 100 kbit/s..5 Mbit/s; applied at the next frame when off by more than a
        tenth."""
        self.bitrate = max(MIN_VIDEO_BITRATE, min(MAX_VIDEO_BITRATE, bitrate))

    def _open(self, width: int, height: int) -> Any:
        context: Any = av.CodecContext.create(self.name, "w")
        context.width, context.height = width, height
        context.pix_fmt = "yuv420p"
        context.time_base = VIDEO_TIME_BASE
        context.framerate = fractions.Fraction(30, 1)
        context.bit_rate = self.bitrate
        context.gop_size = 3000  # keyframes on request only, after the first
        context.thread_count = encoder_threads(width * height, os.cpu_count() or 1)
        context.options = dict(self.options)
        context.open()
        return context

    def encode(self, frame: av.VideoFrame) -> list[Sample]:
        """The encoded samples (data, duration in seconds) of one frame; a keyframe when :attr:`keyframe` was set."""
        context = self._context
        if (
            context is None
            or (context.width, context.height) != (frame.width, frame.height)
            or abs(context.bit_rate - self.bitrate) > context.bit_rate / 10
        ):
            context = self._context = self._open(frame.width, frame.height)
        if frame.format.name != "yuv420p":
            frame = frame.reformat(format="yuv420p")
        pts = _ticks(frame.pts, frame.time_base, VIDEO_CLOCK)
        ticks = 3000 if self._last_pts is None or pts <= self._last_pts else pts - self._last_pts
        duration = self._durations.of(ticks)
        self._last_pts = pts
        frame.pts, frame.time_base = pts, VIDEO_TIME_BASE
        frame.pict_type = av.video.frame.PictureType.I if self.keyframe else av.video.frame.PictureType.NONE
        self.keyframe = False
        return [(bytes(packet), duration) for packet in context.encode(frame)]


class AudioEncoder:
    """Encodes ``av.AudioFrame`` objects of any rate and layout: resampled,
    then cut into 20 ms packets."""

    def __init__(self, codec: str) -> None:
        """An encoder for ``codec`` ("opus", "pcmu" or "pcma"). Raises ValueError for another codec."""
        if codec not in AUDIO_ENCODERS:
            raise ValueError(f"no encoder for audio codec {codec!r} (have {sorted(AUDIO_ENCODERS)})")
        name, self.rate, layout, self.samples = AUDIO_ENCODERS[codec]
        context: Any = av.CodecContext.create(name, "w")
        context.sample_rate = self.rate
        context.layout = layout
        context.format = "s16"
        context.time_base = fractions.Fraction(1, self.rate)
        if name == "libopus":
            context.bit_rate = 64000
        context.open()
        self._context = context
        self._resampler = av.AudioResampler(format="s16", layout=layout, rate=self.rate)
        self._fifo = av.AudioFifo()
        self._pts = 0
        self._durations = Durations(self.rate)

    def set_bitrate(self, bitrate: int) -> None:
        """Audio keeps its bitrate: a target is for video."""

    def encode(self, frame: av.AudioFrame) -> list[Sample]:
        """The encoded 20 ms packets (data, duration in seconds) the frame completes."""
        for resampled in self._resampler.resample(frame):
            resampled.pts = None  # the fifo counts samples itself
            self._fifo.write(resampled)
        out: list[Sample] = []
        while (chunk := self._fifo.read(self.samples)) is not None:
            chunk.pts, chunk.time_base = self._pts, fractions.Fraction(1, self.rate)
            self._pts += self.samples
            out.extend((bytes(p), self._durations.of(self.samples)) for p in self._context.encode(chunk))
        return out


class PacketPacker:
    """Sends ``av.Packet`` objects already in the track's codec (aiortc's ``pack``): each is one sample, lasting its
    ``duration``; a packet without one lasts until the next packet's pts."""

    def __init__(self, track: LocalTrack) -> None:
        """A packer for the codec of ``track``."""
        audio = AUDIO_ENCODERS.get(codec_name(track))
        self.rate = audio[1] if track.kind == "audio" and audio else VIDEO_CLOCK
        self.default = self.rate // 50 if track.kind == "audio" else 3000  # 20 ms, or a frame at 30/s
        self._durations = Durations(self.rate)
        self._held: tuple[bytes, int] | None = None  # data and pts of a packet without a duration

    @staticmethod
    def takes(item: Any) -> bool:
        """Whether ``item`` is a packet (else a frame to encode)."""
        return isinstance(item, av.Packet)

    def pack(self, packet: Any) -> list[Sample]:
        """The samples (data, duration in seconds) complete once ``packet`` (an ``av.Packet``) arrived."""
        out: list[Sample] = []
        pts = _ticks(packet.pts, packet.time_base, self.rate)
        if self._held is not None:
            data, held = self._held
            out.append((data, self._durations.of(pts - held if pts > held else self.default)))
            self._held = None
        duration = _ticks(packet.duration, packet.time_base, self.rate)
        if duration > 0:
            out.append((bytes(packet), self._durations.of(duration)))
        else:
            self._held = (bytes(packet), pts)
        return out


def _ticks(value: int | None, time_base: Any, rate: int) -> int:
    """``value`` counted in ``time_base`` as ticks of a ``rate`` clock (0 without either)."""
    if value is None or time_base is None:
        return 0
    return int(value * fractions.Fraction(time_base.numerator, time_base.denominator) * rate)


def encoder_for(track: LocalTrack) -> VideoEncoder | AudioEncoder:
    """The encoder of a LocalTrack's codec and kind. Raises ValueError for a codec without one."""
    codec = codec_name(track)
    return VideoEncoder(codec) if track.kind == "video" else AudioEncoder(codec)
