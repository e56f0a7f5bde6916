"""aiortc's ``aiortc.contrib.media`` on PyAV (``pip install omnirtc[media]``):
:class:`MediaPlayer` reads a file (or a device PyAV can open) into tracks,
:class:`MediaRecorder` writes tracks into a file, :class:`MediaRelay` lets
several consumers read one track, :class:`MediaBlackhole` reads and drops.
Constructor arguments and names are aiortc's. Demuxing, decoding, encoding
and muxing run on worker threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import av

from ..mediastreams import MediaStreamError, MediaStreamTrack

# Formats that deliver frames in real time themselves: the player does not pace them.
REAL_TIME_FORMATS = {
    "alsa", "android_camera", "avfoundation", "bktr", "decklink", "dshow", "fbdev", "gdigrab", "iec61883",
    "jack", "kmsgrab", "openal", "oss", "pulse", "sndio", "rtsp", "v4l2", "vfwcap", "x11grab",
}  # fmt: skip
QUEUED_FRAMES = 32  # decoded frames a player track holds before its reader waits
AUDIO_RATE = 48000  # a player's audio: packed s16 stereo at this rate, as aiortc's
HELD_PACKETS = 500  # a recorder holds at most these (10 s of audio) until each video track's first frame
# What MediaPlayer(decode=False) passes on, by FFmpeg codec name: the MIME type its packets are sent as (aiortc's set).
PACKET_CODECS = {
    "opus": "audio/opus", "pcm_alaw": "audio/PCMA", "pcm_mulaw": "audio/PCMU", "h264": "video/H264", "vp8": "video/VP8",
}  # fmt: skip


async def blackhole_consume(track: MediaStreamTrack) -> None:
    """Read ``track`` until it ends, dropping its frames."""
    with contextlib.suppress(MediaStreamError):
        while True:
            await track.recv()


class MediaBlackhole:
    """A sink that reads its tracks and drops what they return (aiortc's ``MediaBlackhole``)."""

    def __init__(self) -> None:
        """A blackhole with no tracks."""
        self.__tracks: dict[MediaStreamTrack, asyncio.Future[None] | None] = {}

    def addTrack(self, track: MediaStreamTrack) -> None:
        """Consume ``track`` too, from :meth:`start` on."""
        self.__tracks.setdefault(track, None)

    async def start(self) -> None:
        """Start reading every track added."""
        for track, task in self.__tracks.items():
            if task is None:
                self.__tracks[track] = asyncio.ensure_future(blackhole_consume(track))

    async def stop(self) -> None:
        """Stop reading and forget the tracks."""
        for task in self.__tracks.values():
            if task is not None:
                task.cancel()
        self.__tracks = {}


def seconds(item: Any) -> float | None:
    """The presentation time of a frame or packet in seconds, None without one."""
    if item.pts is None or item.time_base is None:
        return None
    return float(item.pts * item.time_base)


class PlayerStreamTrack(MediaStreamTrack):
    """One stream of a :class:`MediaPlayer`, paced to real time unless the source is live. ``codec`` is the MIME type
    of the packets a ``decode=False`` player's track gives (a peer sends them as they are), None for decoded frames."""

    def __init__(self, player: MediaPlayer, kind: str, codec: str | None = None) -> None:
        """The ``kind`` track of ``player``."""
        super().__init__(kind)
        self.codec = codec
        self._player: MediaPlayer | None = player
        self._queue: asyncio.Queue[Any] = asyncio.Queue(QUEUED_FRAMES)
        self._start: float | None = None

    async def recv(self) -> Any:
        """The next frame of the file (av frames: audio packed s16 stereo at 48 kHz, video with a 1/90000 time base;
        ``av.Packet`` objects for ``decode=False``); MediaStreamError at its end or once stopped."""
        if self.readyState != "live" or self._player is None:
            raise MediaStreamError("the track has ended")
        throttle = self._player._throttle_playback
        self._player._start(self)
        frame = await self._queue.get()
        if frame is None:
            self.stop()
            raise MediaStreamError("the file has ended")
        at = seconds(frame)
        if throttle and at is not None:
            if self._start is None:
                self._start = time.time() - at
            else:
                await asyncio.sleep(self._start + at - time.time())
        return frame

    def stop(self) -> None:
        """End the track; the player stops reading once none of its tracks is read."""
        super().stop()
        if self._player is not None:
            self._player._stop(self)
            self._player = None


class MediaPlayer:
    """aiortc's ``MediaPlayer``: a source of an ``audio`` and a ``video`` track (None where the file has no such stream)
    read from ``file`` by PyAV: a path, URL or file-like object; ``format`` and ``options`` go to FFmpeg (e.g.
    ``format="v4l2"``, ``options={"video_size": "640x480"}`` for a webcam), ``timeout`` (seconds) to its open.
    ``loop`` repeats a seekable file. Frames leave at the file's pace.

    ``decode=False`` passes the file's packets on without decoding, as aiortc's: only streams of VP8, H264 (turned
    into Annex B), Opus, PCMU or PCMA get a track, whose ``codec`` names the MIME type a peer sends them as, with no
    encoder (so keyframe requests and bitrate targets go unanswered).

    Raises ValueError for ``loop`` on a file that cannot seek and, with ``decode=False``, for H264 with B-frames
    (WebRTC receivers need frames in the order they are shown); PyAV's errors for a file it cannot open."""

    def __init__(
        self,
        file: Any,
        format: str | None = None,
        options: dict[str, str] | None = None,
        timeout: int | None = None,
        loop: bool = False,
        decode: bool = True,
    ) -> None:
        """Open ``file``; reading starts at the first ``recv()`` of a track."""
        self.__container: Any = av.open(file=file, format=format, mode="r", options=options, timeout=timeout)
        self.__streams: dict[str, Any] = {}
        self.__tracks: dict[str, PlayerStreamTrack] = {}
        for stream in self.__container.streams:
            if stream.type not in ("audio", "video") or stream.type in self.__streams:
                continue
            codec = None if decode else PACKET_CODECS.get(stream.codec_context.name)
            if codec == "video/H264" and stream.codec_context.has_b_frames:
                # WebRTC receivers (libwebrtc's among them) decode frames in the order they arrive and show each at
                # once: frames sent out of presentation order play garbled or not at all.
                self.__container.close()
                raise ValueError("H264 with B-frames cannot be sent without decoding: play it with decode=True")
            if decode or codec is not None:
                self.__streams[stream.type] = stream
                self.__tracks[stream.type] = PlayerStreamTrack(self, stream.type, codec)
        self.__decode = decode
        formats = set(self.__container.format.name.split(","))
        self._throttle_playback = not formats & REAL_TIME_FORMATS
        if loop and self.__container.duration is None:
            raise ValueError("loop=True needs a seekable file")
        self._loop_playback = loop
        self.__started: set[PlayerStreamTrack] = set()
        self.__thread: threading.Thread | None = None
        self.__quit = threading.Event()
        self.__pending: Future[Any] | None = None  # the handoff the worker waits on

    @property
    def audio(self) -> MediaStreamTrack | None:
        """The audio track, or None when the file has no audio."""
        return self.__tracks.get("audio")

    @property
    def video(self) -> MediaStreamTrack | None:
        """The video track, or None when the file has no video."""
        return self.__tracks.get("video")

    def _start(self, track: PlayerStreamTrack) -> None:
        self.__started.add(track)
        if self.__thread is None:
            loop = asyncio.get_running_loop()
            work = self.__work if self.__decode else self.__demux
            self.__thread = threading.Thread(name="omnirtc-media-player", target=work, args=(loop,), daemon=True)
            self.__thread.start()

    def _stop(self, track: PlayerStreamTrack) -> None:
        self.__started.discard(track)
        if self.__started or self.__thread is None:
            return
        self.__quit.set()
        pending = self.__pending
        if pending is not None:
            pending.cancel()
        self.__thread.join()
        self.__thread = None
        self.__container.close()

    def __hand(self, loop: asyncio.AbstractEventLoop, track: PlayerStreamTrack, frame: Any) -> bool:
        """Queue a frame for a started track, waiting while its queue is full; False once stopping."""
        if track not in self.__started:
            return not self.__quit.is_set()
        self.__pending = asyncio.run_coroutine_threadsafe(track._queue.put(frame), loop)
        try:
            self.__pending.result()
        except BaseException:  # noqa: BLE001 - cancelled by _stop, or the loop closed
            return False
        return not self.__quit.is_set()

    def __passes(self, read: Any) -> Any:
        """What ``read`` (the container's decode or demux) gives of the player's streams, pass after pass over the
        file while looping (None between two passes), until stopped."""
        streams = list(self.__streams.values())
        while not self.__quit.is_set():
            with contextlib.suppress(av.FFmpegError):  # a damaged tail ends the file
                yield from read(*streams)
            if not self._loop_playback:
                return
            self.__container.seek(0)
            yield None

    def __work(self, loop: asyncio.AbstractEventLoop) -> None:
        resampler = av.AudioResampler(format="s16", layout="stereo", rate=AUDIO_RATE)
        audio_pts = 0
        video_first: float | None = None
        offset = 0.0  # seconds added to video times by earlier loops
        last_video = 0.0
        for frame in self.__passes(self.__container.decode):
            if frame is None:
                offset, video_first = last_video + 1 / 30, None
            elif isinstance(frame, av.AudioFrame):
                for out in resampler.resample(frame):
                    out.pts, out.time_base = audio_pts, fractions.Fraction(1, AUDIO_RATE)
                    audio_pts += out.samples
                    if not self.__hand(loop, self.__tracks["audio"], out):
                        return
            elif isinstance(frame, av.VideoFrame) and frame.time is not None:
                if video_first is None:
                    video_first = frame.time
                last_video = offset + frame.time - video_first
                frame.pts, frame.time_base = int(last_video * 90000), fractions.Fraction(1, 90000)
                if not self.__hand(loop, self.__tracks["video"], frame):
                    return
        self.__end(loop)

    def __end(self, loop: asyncio.AbstractEventLoop) -> None:
        for track in list(self.__tracks.values()):
            if not self.__hand(loop, track, None):
                return

    def __demux(self, loop: asyncio.AbstractEventLoop) -> None:
        """The packets of each stream, their times rebased to start at 0 and to go on growing across loops."""
        streams = list(self.__streams.values())
        annexb = {
            stream: av.bitstream.BitStreamFilterContext("h264_mp4toannexb", in_stream=stream)
            for stream in streams
            if stream.codec_context.name == "h264"
        }
        first: dict[Any, int] = {}
        offset: dict[Any, int] = dict.fromkeys(streams, 0)  # ticks added by earlier loops
        end: dict[Any, int] = dict.fromkeys(streams, 0)  # where the stream's last packet ended
        for packet in self.__passes(self.__container.demux):
            if packet is None:
                first.clear()
                offset = dict(end)
                continue
            stream = packet.stream
            if packet.pts is None or not packet.size:
                continue
            pts = packet.pts - first.setdefault(stream, packet.pts) + offset[stream]
            end[stream] = max(end[stream], pts + (packet.duration or 0))
            for out in annexb[stream].filter(packet) if stream in annexb else [packet]:
                out.pts, out.time_base = pts, stream.time_base
                if not self.__hand(loop, self.__tracks[stream.type], out):
                    return
        self.__end(loop)


class MediaRecorder:
    """aiortc's ``MediaRecorder``: a sink writing its tracks into ``file`` (path or file-like object) by PyAV: mp4
    (H264, AAC), webm (VP8, Opus), ogg (Opus), wav (PCM), mkv (H264, AAC). ``format`` and ``options`` go to FFmpeg;
    PyAV's errors for a file it cannot create."""

    def __init__(self, file: Any, format: str | None = None, options: dict[str, str] | None = None) -> None:
        """Create ``file``; nothing is written before :meth:`start`."""
        self.__container: Any = av.open(file=file, format=format, mode="w", options=options)
        self.__streams: dict[MediaStreamTrack, Any] = {}
        self.__tasks: dict[MediaStreamTrack, asyncio.Future[None]] = {}
        self.__unsized: set[Any] = set()  # video streams whose first frame has not come
        self.__held: list[Any] | None = []  # packets waiting for the file's header; None once it is written
        self.__pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omnirtc-media-recorder")

    def addTrack(self, track: MediaStreamTrack) -> None:
        """Record ``track`` too (before :meth:`start`)."""
        name = self.__container.format.name
        if track.kind == "audio":
            codec = {"wav": "pcm_s16le", "mp3": "mp3", "ogg": "libopus", "opus": "libopus", "webm": "libopus"}
            stream = self.__container.add_stream(codec.get(name, "aac"))
        else:
            stream = self.__container.add_stream("libvpx" if name == "webm" else "libx264", rate=30)
            stream.pix_fmt = "yuv420p"
            stream.codec_context.time_base = fractions.Fraction(1, 90000)
            self.__unsized.add(stream)
        self.__streams[track] = stream

    async def start(self) -> None:
        """Start recording every track added. A frame that is no ``av`` frame ends its track's recording with TypeError.
        """
        for track in self.__streams:
            if track not in self.__tasks:
                self.__tasks[track] = asyncio.ensure_future(self.__run_track(track))

    async def stop(self) -> None:
        """Stop recording, flush the encoders and close the file."""
        if self.__container is None:
            return
        for task in self.__tasks.values():
            task.cancel()
        await asyncio.gather(*self.__tasks.values(), return_exceptions=True)
        await asyncio.get_running_loop().run_in_executor(self.__pool, self.__finish)
        self.__pool.shutdown(wait=False)
        self.__tasks, self.__streams = {}, {}

    def __finish(self) -> None:
        self.__unsized.clear()
        self.__mux([])  # what is still held
        for stream in self.__streams.values():
            if stream.codec_context.is_open:
                for packet in stream.encode(None):
                    self.__container.mux(packet)
        self.__container.close()
        self.__container = None

    async def __run_track(self, track: MediaStreamTrack) -> None:
        loop = asyncio.get_running_loop()
        stream = self.__streams[track]
        state: dict[str, Any] = {}
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if not isinstance(frame, (av.AudioFrame, av.VideoFrame)):
                raise TypeError("only audio or video frames can be recorded")
            await loop.run_in_executor(self.__pool, self.__write, stream, frame, state)

    def __write(self, stream: Any, frame: Any, state: dict[str, Any]) -> None:
        if frame.pts is not None and frame.time_base is not None:
            # the file starts at 0, and pts only grow
            start = state.setdefault("first", frame.pts)
            if frame.pts - start <= state.get("last", -1):
                return
            frame.pts = state["last"] = frame.pts - start
        if isinstance(frame, av.VideoFrame):
            if stream in self.__unsized:
                stream.width, stream.height = frame.width, frame.height
                self.__unsized.discard(stream)
            elif (frame.width, frame.height) != (stream.width, stream.height):
                frame = frame.reformat(width=stream.width, height=stream.height)  # the file has one size
        self.__mux(stream.encode(frame))

    def __mux(self, packets: list[Any]) -> None:
        """Write ``packets``, or hold them while a video stream has no size yet: the first packet written fixes the
        file's header, each stream's size in it. Held no longer than HELD_PACKETS, for a track that sends nothing."""
        if self.__held is not None:
            if self.__unsized and len(self.__held) < HELD_PACKETS:
                self.__held.extend(packets)
                return
            packets, self.__held = self.__held + packets, None  # the header is written: nothing is held again
            self.__unsized.clear()  # a late video track's frames are scaled to the size the header has
        for packet in packets:
            self.__container.mux(packet)


class RelayStreamTrack(MediaStreamTrack):
    """A consumer's view of a relayed track (:meth:`MediaRelay.subscribe`)."""

    def __init__(self, relay: MediaRelay, source: MediaStreamTrack, buffered: bool) -> None:
        """A proxy of ``source`` in ``relay``; made by :meth:`MediaRelay.subscribe`."""
        super().__init__(source.kind)
        self._relay: MediaRelay | None = relay
        self._source: MediaStreamTrack | None = source
        self._buffered = buffered
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self._latest: Any = None
        self._fresh = asyncio.Event()

    def _put(self, frame: Any) -> None:
        if self._buffered:
            self._queue.put_nowait(frame)
        else:
            self._latest = frame
            self._fresh.set()

    async def recv(self) -> Any:
        """The source's next frame (unbuffered: the latest one); MediaStreamError once the source ended or this proxy
        stopped."""
        if self.readyState != "live" or self._relay is None:
            raise MediaStreamError("the track has ended")
        self._relay._start(self)
        if self._buffered:
            frame = await self._queue.get()
        else:
            await self._fresh.wait()
            self._fresh.clear()
            frame = self._latest
        if frame is None:
            self.stop()
            raise MediaStreamError("the source track has ended")
        return frame

    def stop(self) -> None:
        """End this proxy; the source is read while any proxy is."""
        super().stop()
        if self._relay is not None:
            self._relay._stop(self)
            self._relay = self._source = None


class MediaRelay:
    """aiortc's ``MediaRelay``: lets several consumers read one track: each :meth:`subscribe` returns a proxy; one task
    reads the source while any proxy is reading."""

    def __init__(self) -> None:
        """A relay with no subscriptions."""
        self.__proxies: dict[MediaStreamTrack, set[RelayStreamTrack]] = {}
        self.__tasks: dict[MediaStreamTrack, asyncio.Future[None]] = {}

    def subscribe(self, track: MediaStreamTrack, buffered: bool = True) -> MediaStreamTrack:
        """A new proxy of ``track``; unbuffered proxies get only the latest frame."""
        self.__proxies.setdefault(track, set())
        return RelayStreamTrack(self, track, buffered)

    def _start(self, proxy: RelayStreamTrack) -> None:
        source = proxy._source
        if source is None or source not in self.__proxies:
            return
        self.__proxies[source].add(proxy)
        if source not in self.__tasks:
            self.__tasks[source] = asyncio.ensure_future(self.__run_track(source))

    def _stop(self, proxy: RelayStreamTrack) -> None:
        source = proxy._source
        if source is not None and source in self.__proxies:
            self.__proxies[source].discard(proxy)

    async def __run_track(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                frame = None
            for proxy in list(self.__proxies[track]):
                proxy._put(frame)
            if frame is None:
                break
        del self.__proxies[track]
        del self.__tasks[track]
