"""Media files: IVF (VP8/VP9/AV1), Ogg/Opus and H264 Annex-B."""

from __future__ import annotations

import ctypes
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from . import _abi, _native


class MediaFrame(NamedTuple):
    """One frame of a media file: its encoded ``data``, ``duration`` in seconds and ``keyframe``."""

    data: bytes
    duration: float  # seconds
    keyframe: bool


class MediaReader:
    """Reads the encoded frames of an IVF (VP8/VP9/AV1), Ogg/Opus or H264 Annex-B file (OmniRTC's, no W3C counterpart):
    ``for frame in MediaReader(path)``.

    :attr:`info` has the format, the codec (a MIME type for :class:`LocalTrack`) and, where the file says, width,
    height, frameCount, channels, sampleRate (Hz)."""

    def __init__(self, path: str, format: str | None = None, fps: int | None = None) -> None:
        """Open ``path``; ``format`` ("ivf", "ogg" or "h264") overrides the one its extension implies, ``fps`` gives an
        H264 file's frame duration (default 30).

        Raises OperationError when the file cannot be opened (the OS error), InvalidArgumentError (a ValueError) when
        it is no such file, NotSupportedError for the format."""
        options: dict[str, Any] = {}
        if format:
            options["format"] = format
        if fps:
            options["fps"] = fps
        handle, info = _abi.omnirtc_media_reader_t(), ctypes.c_void_p()
        _native.check(
            _native.lib.omnirtc_media_reader_open(
                _native.encode(path, "path"), json.dumps(options).encode(), ctypes.byref(handle), ctypes.byref(info)
            )
        )
        self._handle: int | None = handle.value
        self.info: dict[str, Any] = json.loads(_native.take_string(info) or "{}")

    def read(self) -> MediaFrame | None:
        """The next frame, or None at the end of the file. Raises InvalidArgumentError (a ValueError) for a corrupt
        file, InvalidHandleError once closed."""
        data, size = ctypes.c_void_p(), ctypes.c_size_t()
        duration, keyframe = ctypes.c_uint64(), ctypes.c_int32()
        _native.check(
            _native.lib.omnirtc_media_reader_next(
                self._handle or 0,
                ctypes.byref(data),
                ctypes.byref(size),
                ctypes.byref(duration),
                ctypes.byref(keyframe),
            )
        )
        if not data.value:
            return None
        try:
            return MediaFrame(ctypes.string_at(data.value, size.value), duration.value / 1e6, bool(keyframe.value))
        finally:
            _native.lib.omnirtc_free(data)

    def __iter__(self) -> Iterator[MediaFrame]:
        """The frames left, until the end of the file."""
        while (frame := self.read()) is not None:
            yield frame

    def close(self) -> None:
        """Close the file. Idempotent."""
        if self._handle is not None:
            _native.check(_native.lib.omnirtc_media_reader_close(self._handle))
            self._handle = None

    def __enter__(self) -> MediaReader:
        """The reader itself."""
        return self

    def __exit__(self, *exc: Any) -> None:
        """Close the file."""
        self.close()


class MediaWriter:
    """Records RTP packets (a remote track in ``"rtp"`` receive mode) into an IVF, Ogg or H264 file, depacketized by
    pion's writers (OmniRTC's, no W3C counterpart)."""

    def __init__(self, path: str, **options: Any) -> None:
        """Create ``path``; ``options`` are ``omnirtc_media_writer_open``'s (see omnirtc.h).

        Raises OperationError when the file cannot be created (the OS error), InvalidArgumentError (a ValueError) for
        bad options."""
        handle = _abi.omnirtc_media_writer_t()
        _native.check(
            _native.lib.omnirtc_media_writer_open(
                _native.encode(path, "path"), json.dumps(options).encode(), ctypes.byref(handle)
            )
        )
        self._handle: int | None = handle.value

    def write_rtp(self, packet: bytes) -> None:
        """Write one RTP packet. Raises InvalidArgumentError (a ValueError) for malformed RTP, OperationError when the
        write fails, InvalidHandleError once closed."""
        _native.check(_native.lib.omnirtc_media_writer_write_rtp(self._handle or 0, bytes(packet), len(packet)))

    def close(self) -> None:
        """Finish and close the file. Idempotent."""
        if self._handle is not None:
            _native.check(_native.lib.omnirtc_media_writer_close(self._handle))
            self._handle = None

    def __enter__(self) -> MediaWriter:
        """The writer itself."""
        return self

    def __exit__(self, *exc: Any) -> None:
        """Finish and close the file."""
        self.close()
