"""Sends a track of ``av`` frames (aiortc's ``MediaStreamTrack`` contract:
``kind``, ``id``, ``async recv()``) through a :class:`LocalTrack`: frames
are encoded on a worker thread of the sender's own, so a slow encoder never
blocks the event loop, and cross to the library as encoded samples; ``av``
packets (``MediaPlayer(decode=False)``) are sent as they are.

The encoder starts once the peer connects, follows ``targetbitrate`` events
(GCC's for the whole peer, or a REMB naming this sender's mid) and answers a
PLI or FIR with a keyframe.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from .bitratetarget import BitrateTarget
from .exceptions import InvalidHandleError
from .mediastreams import LocalTrack, MediaStreamError

if TYPE_CHECKING:
    from .frameencoder import AudioEncoder, VideoEncoder
    from .rtcpeerconnection import RTCPeerConnection
    from .rtcrtptransceiver import RTCRtpSender

logger = logging.getLogger(__name__)

# What a track of each kind is encoded as.
DEFAULT_CODECS = {"video": "video/VP8", "audio": "audio/opus"}


class FrameSender:
    """Sends a track of ``av`` frames through a LocalTrack it owns, encoding on a worker thread; made by
    :meth:`RTCPeerConnection.addTrack` and ``addTransceiver``."""

    def __init__(self, pc: RTCPeerConnection, source: Any, codec: str | None = None) -> None:
        """A sender of ``source`` on ``pc``, as ``codec`` (default VP8 for video, Opus for audio). Raises TypeError for
        a source without an audio/video ``kind`` and ``recv()``, ImportError without PyAV."""
        from .frameencoder import PacketPacker, encoder_for  # needs PyAV: pip install omnirtc[media]

        kind = getattr(source, "kind", None)
        if kind not in DEFAULT_CODECS or not callable(getattr(source, "recv", None)):
            raise TypeError(f"expected a LocalTrack or an audio/video track with recv(), not {type(source).__name__}")
        self.source = source
        # a track of packets (MediaPlayer(decode=False)) names their codec
        codec = codec or getattr(source, "codec", None) or DEFAULT_CODECS[kind]
        self.local = LocalTrack(codec, id=getattr(source, "id", None))
        self.encoder: VideoEncoder | AudioEncoder = encoder_for(self.local)
        self.packer = PacketPacker(self.local)
        self.sender: RTCRtpSender | None = None
        self._pc = pc
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omnirtc-encode")
        self._task: asyncio.Task[None] | None = None
        self.frames = 0  # frames encoded
        pc.on("connectionstatechange", self._on_state)
        pc.on("targetbitrate", self._on_target)

    def attach(self, sender: RTCRtpSender) -> None:
        """Send through ``sender``: its ``track`` becomes the source; encoding starts once the peer is connected."""
        self.sender = sender
        sender.track, sender._frames = self.source, self
        sender.on("keyframerequest", self._on_keyframe_request)
        self._on_state()  # added to a peer already connected

    def _on_state(self) -> None:
        if self._pc.connectionState == "connected" and self._task is None:
            self._task = asyncio.ensure_future(self._run())

    def _on_target(self, target: BitrateTarget) -> None:
        mid = self.sender._transceiver.mid if self.sender is not None else None
        if target.source == "gcc" or mid in target.mids:
            self.encoder.set_bitrate(target.bitrate)

    def _on_keyframe_request(self, kind: str, rid: str) -> None:
        if hasattr(self.encoder, "keyframe"):
            self.encoder.keyframe = True

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                frame = await self.source.recv()
            except MediaStreamError:
                break
            try:
                await loop.run_in_executor(self._pool, self._encode, frame)
            except InvalidHandleError:  # the track or peer closed meanwhile
                break
            except Exception:
                logger.exception("encoding a frame of track %s failed", self.local.id)
                break

    def _encode(self, frame: Any) -> None:
        samples = self.packer.pack(frame) if self.packer.takes(frame) else self.encoder.encode(frame)
        for data, duration in samples:
            self.local.write_sample(data, duration)
        self.frames += 1

    def close(self) -> None:
        """Stop reading and encoding, and stop the LocalTrack."""
        if self._task is not None:
            self._task.cancel()
        self._pc.remove_listener("connectionstatechange", self._on_state)
        self._pc.remove_listener("targetbitrate", self._on_target)
        self._pool.shutdown(wait=False)
        with contextlib.suppress(InvalidHandleError):
            self.local.stop()
