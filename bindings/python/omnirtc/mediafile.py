"""Media files: IVF (VP8/VP9/AV1), Ogg/Opus and H264 Annex-B."""

from __future__ import annotations

import ctypes
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from . import _abi, _native


class MediaFrame(NamedTuple):
    data: bytes
    duration: float  # seconds
    keyframe: bool


class MediaReader:
    """Reads the frames of a file: ``for frame in MediaReader(path)``.

    :attr:`info` has the format, the codec (a MIME type for :class:`LocalTrack`)
    and, where the file says, width, height, frameCount, channels, sampleRate."""

    def __init__(self, path: str, format: str | None = None, fps: int | None = None) -> None:
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
        """The next frame, or None at the end of the file."""
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
        while (frame := self.read()) is not None:
            yield frame

    def close(self) -> None:
        if self._handle is not None:
            _native.check(_native.lib.omnirtc_media_reader_close(self._handle))
            self._handle = None

    def __enter__(self) -> MediaReader:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class MediaWriter:
    """Records RTP packets (a remote track in ``"rtp"`` receive mode) into a file."""

    def __init__(self, path: str, **options: Any) -> None:
        handle = _abi.omnirtc_media_writer_t()
        _native.check(
            _native.lib.omnirtc_media_writer_open(
                _native.encode(path, "path"), json.dumps(options).encode(), ctypes.byref(handle)
            )
        )
        self._handle: int | None = handle.value

    def write_rtp(self, packet: bytes) -> None:
        _native.check(_native.lib.omnirtc_media_writer_write_rtp(self._handle or 0, bytes(packet), len(packet)))

    def close(self) -> None:
        if self._handle is not None:
            _native.check(_native.lib.omnirtc_media_writer_close(self._handle))
            self._handle = None

    def __enter__(self) -> MediaWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
