"""The fault relay of tests/reliability (relay.h), loaded with ctypes: every
packet between two peers crosses it, and it drops what it is told to.

scripts/test-python.sh builds it as a shared library and names it in
OMNIRTC_TEST_RELAY; the structs below mirror relay.h's."""

from __future__ import annotations

import ctypes
import os

from omnirtc import RTCSessionDescription


class Impairment(ctypes.Structure):
    _fields_ = [("loss", ctypes.c_double), ("duplicate", ctypes.c_double), ("delay_ms", ctypes.c_int),
                ("jitter_ms", ctypes.c_int), ("blackhole", ctypes.c_int), ("drop_min_size", ctypes.c_int),
                ("swap_min_size", ctypes.c_int)]


class Stats(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in (
        "forwarded", "dropped", "duplicated", "reordered", "unknown", "held", "rtp_duplicated", "captured",
        "replayed")]


def _library() -> ctypes.CDLL:
    path = os.environ.get("OMNIRTC_TEST_RELAY")
    if not path:
        raise RuntimeError("OMNIRTC_TEST_RELAY names no relay library: run the suite through scripts/test-python.sh")
    lib = ctypes.CDLL(path)
    lib.relay_start.restype = ctypes.c_void_p
    lib.relay_set.argtypes = [ctypes.c_void_p, Impairment]
    lib.relay_rewrite_sdp.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.relay_rewrite_sdp.restype = ctypes.c_void_p  # malloc'd: read, then freed
    lib.relay_stats.argtypes = [ctypes.c_void_p]
    lib.relay_stats.restype = Stats
    lib.relay_stop.argtypes = [ctypes.c_void_p]
    return lib


class Relay:
    def __init__(self) -> None:
        self._lib = _library()
        self._libc = ctypes.CDLL(None)
        self._libc.free.argtypes = [ctypes.c_void_p]
        self._relay = self._lib.relay_start()

    def set(self, **impairment: float) -> None:
        self._lib.relay_set(self._relay, Impairment(**impairment))

    def route(self, description: RTCSessionDescription) -> RTCSessionDescription:
        """The description with its candidates moved onto the relay."""
        sdp = self._lib.relay_rewrite_sdp(self._relay, description.sdp.encode())
        try:
            return RTCSessionDescription(ctypes.string_at(sdp).decode(), description.type)
        finally:
            self._libc.free(sdp)

    def stats(self) -> Stats:
        return self._lib.relay_stats(self._relay)

    def stop(self) -> None:
        self._lib.relay_stop(self._relay)
