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

from . import _native
from .bitratetarget import BitrateTarget
from .exceptions import InvalidArgumentError, InvalidHandleError
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
        kind = getattr(source, "kind", None)
        if kind not in DEFAULT_CODECS or not callable(getattr(source, "recv", None)):
            raise TypeError(f"expected a LocalTrack or an audio/video track with recv(), not {type(source).__name__}")
        self.source = source
        # a track of packets (MediaPlayer(decode=False)) names their codec
        codec = codec or getattr(source, "codec", None) or DEFAULT_CODECS[kind]
        self._use(LocalTrack(codec, id=getattr(source, "id", None)))
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

    def encoding_for(self, mime_types: list[str]) -> str | None:
        """The codec to encode in for a transceiver's codec preferences ``mime_types``: the first with an encoder, None
        to keep the current one (the first preferred already, or a track of packets, which keeps its codec). Raises
        InvalidArgumentError (a ValueError) when none has an encoder."""
        from .frameencoder import encodable

        if getattr(self.source, "codec", None) is not None or self.local.codec in mime_types[:1]:
            return None
        codec = next((m for m in mime_types if encodable(m)), None)
        if codec is None:
            raise InvalidArgumentError(f"no encoder for any of {mime_types}: frames are encoded as {self.local.codec}")
        return codec

    def encode_as(self, codec: str) -> None:
        """Encode in ``codec`` from the next frame on, sent through a new LocalTrack in place of the old one. The switch
        runs on the encoding thread, so no frame is encoded for one track and written to the other."""
        self._pool.submit(self._switch, LocalTrack(codec, id=self.local.id)).result()

    def _switch(self, local: LocalTrack) -> None:
        try:
            if self.sender is not None:
                _native.check(
                    _native.lib.omnirtc_transceiver_replace_track(self.sender._transceiver._handle, local._handle)
                )
        except BaseException:
            local.stop()
            raise
        old = self.local
        self._use(local)
        with contextlib.suppress(InvalidHandleError):
            old.stop()

    def _use(self, local: LocalTrack) -> None:
        """Send through ``local``, encoding in its codec."""
        from .frameencoder import PacketPacker, encoder_for  # needs PyAV: pip install omnirtc[media]

        self.local = local
        self.encoder: VideoEncoder | AudioEncoder = encoder_for(local)
        self.packer = PacketPacker(local)

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
