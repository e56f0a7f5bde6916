"""Media tracks, shaped like aiortc's ``MediaStreamTrack``.

The library sends and receives media encoded: a :class:`LocalTrack` is fed
encoded frames (:meth:`LocalTrack.write_sample`) or RTP packets
(:meth:`LocalTrack.write_rtp`), and a :class:`RemoteStreamTrack` is given the
encoded frames it receives. As in aiortc, ``await track.recv()`` of a remote
track returns them decoded, ``av.VideoFrame`` / ``av.AudioFrame``, with the
media extra (``pip install omnirtc[media]``, PyAV; framedecoder.py);
:meth:`RemoteStreamTrack.recvEncoded` gives the :class:`EncodedFrame` objects
themselves, without PyAV. ``pc.setTrackReceive("frames")`` makes ``recv()``
return those too, ``"rtp"`` RTP packets. ``pc.addTrack()`` takes any track
whose ``recv()`` returns ``av`` frames (:class:`omnirtc.VideoStreamTrack` and
the like).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import uuid
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import _abi, _native
from .events import EventEmitter
from .exceptions import InvalidHandleError

if TYPE_CHECKING:
    from .framedecoder import FrameDecoder

# A remote track keeps at most this many undelivered frames; older ones are
# dropped, as a player would skip them.
MAX_QUEUED = 1024


class MediaStreamError(Exception):
    """Raised by ``recv()`` once the track has ended (aiortc's ``MediaStreamError``)."""


@dataclass(frozen=True)
class EncodedFrame:
    """One received frame (an audio packet for audio): ``data``, its RTP ``timestamp`` (in the codec's clock rate),
    ``keyframe`` (decodable on its own; always True for audio) and ``lost``, the received packets dropped just before
    it, their frame incomplete."""

    data: bytes
    timestamp: int  # RTP timestamp
    keyframe: bool  # decodable on its own (always True for audio)
    lost: int = 0  # received packets dropped just before it, their frame incomplete


class RTPPacket(bytes):
    """One received RTP packet ("rtp" receive mode): the packet's bytes, with the SVC layer its VP9 payload descriptor
    or AV1 Dependency Descriptor says. ``spatial_id`` / ``temporal_id``: None when it says none; ``keyframe`` (its
    frame refers to no earlier one) and ``switch_point`` (a receiver of the lower layers can switch up to its layer
    here): None when the packet has no descriptor."""

    spatial_id: int | None
    temporal_id: int | None
    keyframe: bool | None
    switch_point: bool | None

    def __new__(
        cls, data: bytes, spatial_id: int = -1, temporal_id: int = -1, keyframe: int = -1, switch_point: int = -1
    ) -> RTPPacket:
        """The packet ``data`` with the layer fields of its event (-1: unknown)."""
        packet = super().__new__(cls, data)
        packet.spatial_id = None if spatial_id < 0 else spatial_id
        packet.temporal_id = None if temporal_id < 0 else temporal_id
        packet.keyframe = None if keyframe < 0 else bool(keyframe)
        packet.switch_point = None if switch_point < 0 else bool(switch_point)
        return packet


class MediaStreamTrack(EventEmitter):
    """A track of audio or video (W3C ``MediaStreamTrack``, aiortc's); emits ``ended``.

    As in aiortc, a subclass sets the class attribute ``kind`` and implements ``async recv()``; ``id`` defaults to a
    new UUID, ``readyState`` is "live" until :meth:`stop` makes it "ended"; ``muted`` (W3C) is False but for a
    :class:`RemoteStreamTrack` that receives nothing."""

    kind: str = ""

    def __init__(self, kind: str | None = None, id: str | None = None) -> None:
        """A live track of ``kind`` (default: the class's) and ``id`` (default: a new UUID)."""
        super().__init__()
        self.kind = kind if kind is not None else type(self).kind
        self.id = id if id is not None else str(uuid.uuid4())
        self.readyState = "live"
        self.muted = False

    async def recv(self) -> Any:
        """The next frame; subclasses implement it."""
        raise NotImplementedError

    def stop(self) -> None:
        """End the track (W3C ``stop``): ``readyState`` becomes "ended" and ``ended`` is emitted, once."""
        if self.readyState != "ended":
            self.readyState = "ended"
            self.emit("ended")


class LocalTrack(MediaStreamTrack):
    """A track this side sends, fed with encoded media.

    ``codec`` is a MIME type or name: opus, pcmu, pcma, g722, vp8, vp9, h264,
    h265, av1. ``mode="sample"`` takes whole frames, ``"rtp"`` RTP packets.
    ``rids`` makes a simulcast track with one layer per rid.
    """

    def __init__(
        self,
        codec: str,
        id: str | None = None,
        streamId: str | None = None,
        mode: str = "sample",
        rids: list[str] | None = None,
    ) -> None:
        """A track of ``codec`` (``omnirtc_track_create``). Raises NotSupportedError for an unknown codec (the message
        lists the known ones), InvalidArgumentError (a ValueError) for a bad mode or rid."""
        init: dict[str, Any] = {"codec": codec, "mode": mode}
        if id is not None:
            init["id"] = id
        if streamId is not None:
            init["streamId"] = streamId
        if rids:
            init["rids"] = list(rids)
        handle = _abi.omnirtc_track_t()
        _native.check(_native.lib.omnirtc_track_create(json.dumps(init).encode(), ctypes.byref(handle)))
        self._handle = handle.value
        info = json.loads(_native.call_string(_native.lib.omnirtc_track_get_info, self._handle) or "{}")
        super().__init__(info["kind"], info["id"])
        self.codec = info["codec"]

    def write_sample(self, data: bytes, duration: float, rid: str | None = None) -> None:
        """Send one encoded frame lasting ``duration`` seconds (whole microseconds are kept; H264: an Annex-B access
        unit), to the layer ``rid`` of a simulcast track.

        Raises InvalidStateError for an "rtp" track, InvalidArgumentError (a ValueError) for empty data or an unknown
        rid, InvalidHandleError once stopped."""
        _native.check(
            _native.lib.omnirtc_track_write_sample(
                self._handle, rid.encode() if rid else None, bytes(data), len(data), int(duration * 1e6)
            )
        )

    def write_rtp(self, packet: bytes, rid: str | None = None) -> None:
        """Send one RTP packet (its payload type and SSRC are rewritten) to the layer ``rid``.

        Raises InvalidArgumentError (a ValueError) for malformed RTP, InvalidStateError for a "sample" track,
        InvalidHandleError once stopped."""
        _native.check(
            _native.lib.omnirtc_track_write_rtp(self._handle, rid.encode() if rid else None, bytes(packet), len(packet))
        )

    def stop(self) -> None:
        """End the track: further writes raise :class:`InvalidHandleError`."""
        if self.readyState != "ended":
            _native.lib.omnirtc_track_close(self._handle)
        super().stop()


class RemoteStreamTrack(MediaStreamTrack):
    """A track the remote peer sends (one per simulcast layer, see :attr:`rid`); emits ``ended``, ``mute``,
    ``unmute`` and, on audio, ``dtmf`` with each RFC 4733 tone received and its duration in ms.

    It comes in the ``track`` event that ``setRemoteDescription`` emits before it returns, muted (W3C webrtc-pc
    4.4.1.6): its first packet unmutes it (``unmute``; :attr:`ssrc` and :attr:`codec` are then the received ones). A
    later description in which the remote no longer sends it mutes it (``mute``); it ends only when its transceiver
    stops or the peer closes, and a description that sends it again emits ``track`` again with this track."""

    def __init__(self, handle: int, info: dict[str, Any], receive: str = "decoded") -> None:
        """The remote track of a library handle; made by RTCPeerConnection, not by user code."""
        super().__init__(info.get("kind", ""), info.get("id", ""))
        self._handle = handle
        self.rid: str = info.get("rid", "")
        self.ssrc: int = info.get("ssrc", 0)
        self.streamIds: list[str] = info.get("streamIds", [])
        # The description's first codec until the first packet, then the
        # received one (_set_muted).
        self.codec: dict[str, Any] = info.get("codec", {})
        self.muted = True
        self._queue: deque[EncodedFrame | RTPPacket] = deque(maxlen=MAX_QUEUED)
        self._arrived = asyncio.Event()
        self._decodes = receive == "decoded"  # RTCPeerConnection.setTrackReceive's mode
        self._decoder: FrameDecoder | None = None  # opened by the first recv() that decodes

    async def recv(self) -> Any:
        """The next frame, as aiortc's: an ``av.VideoFrame`` / ``av.AudioFrame``
        (needs PyAV, ``pip install omnirtc[media]``; ImportError without it).
        In "frames" receive mode an :class:`EncodedFrame`, in "rtp" mode an
        :class:`RTPPacket` (:meth:`RTCPeerConnection.setTrackReceive`). Raises
        :class:`MediaStreamError` once the track has ended and nothing
        received is left, with PyAV or without."""
        if not self._decodes:
            return await self.recvEncoded()
        if self._decoder is None:
            # opened for the received codec, which the unmute names (the first packet's)
            while self.muted and not self._queue and self.readyState != "ended":
                self._arrived.clear()
                await self._arrived.wait()
            if self.readyState == "ended" and not self._queue:
                raise MediaStreamError("the track has ended")
            self._decoder = self._open_decoder()
        return await self._decoder.next()

    def _set_muted(self, muted: bool) -> None:
        """The library muted or unmuted it: emits ``mute`` / ``unmute``."""
        if self.muted == muted or self.readyState == "ended":
            return
        self.muted = muted
        if not muted:
            with contextlib.suppress(InvalidHandleError):  # its peer closed meanwhile
                info = json.loads(_native.call_string(_native.lib.omnirtc_track_get_info, self._handle) or "{}")
                self.ssrc, self.codec = info.get("ssrc", self.ssrc), info.get("codec", self.codec)
            self._arrived.set()  # a recv() waiting to open its decoder
        self.emit("mute" if muted else "unmute")

    def _open_decoder(self) -> FrameDecoder:
        try:
            from .framedecoder import FrameDecoder
        except ImportError as e:
            raise ImportError(
                "RemoteStreamTrack.recv() decodes with PyAV: pip install omnirtc[media], "
                "or read the encoded frames with recvEncoded()",
                name=e.name,
            ) from e
        return FrameDecoder(self)

    async def recvEncoded(self) -> EncodedFrame | RTPPacket:
        """The next frame as received, before any decoding: an
        :class:`EncodedFrame` (an :class:`RTPPacket` in "rtp" receive mode); no PyAV
        needed. Raises :class:`MediaStreamError` once the track has ended and
        every frame received was read."""
        while not self._queue:
            if self.readyState == "ended":
                raise MediaStreamError("the track has ended")
            self._arrived.clear()
            await self._arrived.wait()
        return self._queue.popleft()

    def requestKeyframe(self, fir: bool = False) -> None:
        """Ask the sender for a keyframe with an RTCP PLI (or a FIR). Raises InvalidStateError for an audio track or a
        closed peer, InvalidHandleError once the track ended."""
        _native.check(_native.lib.omnirtc_track_request_keyframe(self._handle, int(fir)))

    def requestBitrate(self, bitrate: int) -> None:
        """Send a REMB: the most, in bits/s, this receiver wants the sender to send on this video track (needs the
        "remb" interceptor on both peers; bitrates of 262144 and more arrive rounded down). A sender with "remb" gets
        a ``targetbitrate`` event.

        Raises TypeError for a non-int, ValueError from 2**63 on, InvalidArgumentError (a ValueError) for 0 or less,
        InvalidStateError (an audio track, goog-remb not negotiated, the peer closing), InvalidHandleError (the track
        ended or its peer closed)."""
        if isinstance(bitrate, bool) or not isinstance(bitrate, int):
            raise TypeError(f"bitrate must be an int (bits per second), not {type(bitrate).__name__}")
        if bitrate >= 2**63:
            raise ValueError("bitrate must be below 2**63 bits per second")
        _native.check(_native.lib.omnirtc_track_request_bitrate(self._handle, bitrate))

    def _push(self, item: EncodedFrame | RTPPacket) -> None:
        if self.readyState == "ended":  # stopped by the application: no more media
            return
        self._queue.append(item)
        self._arrived.set()

    def stop(self) -> None:
        """End the track: ``recv()`` returns what is queued, then raises MediaStreamError."""
        super().stop()
        self._arrived.set()
        # Frames still queued are decoded by the recv() calls that read them;
        # the decoder closes itself at the end they reach.
        if self._decoder is not None and not self._queue:
            self._decoder.close()
