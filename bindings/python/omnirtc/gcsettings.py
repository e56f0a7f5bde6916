"""The library's garbage collector settings (``omnirtc_set_gc``): Go's GOGC
and GOMEMLIMIT, which a Python process cannot put in the environment of a
library it has already loaded."""

from __future__ import annotations

import ctypes
from typing import NamedTuple

from . import _native


class GCSettings(NamedTuple):
    """The library's collector settings: ``percent`` is GOGC (-1 for off; Go's default 100), ``memory_limit_bytes``
    GOMEMLIMIT in bytes (0 for none)."""

    percent: int
    memory_limit_bytes: int


def _fits(value: int, bits: int) -> bool:
    return -(1 << (bits - 1)) <= value < 1 << (bits - 1)


def set_gc(percent: int = 100, memory_limit_bytes: int = 0) -> None:
    """Set the library's Go collector process-wide (``omnirtc_set_gc``): ``percent`` -1 (off) or 1..1000000,
    ``memory_limit_bytes`` 0 (none) or more, in bytes. Other values raise InvalidArgumentError (a ValueError) and
    change nothing; TypeError for a non-int."""
    for name, value in (("percent", percent), ("memory_limit_bytes", memory_limit_bytes)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be int, not {type(value).__name__}")
    # ctypes keeps only the low bits: out of the C type's range is out of range.
    _native.check(
        _native.lib.omnirtc_set_gc(
            percent if _fits(percent, 32) else -(1 << 31),
            memory_limit_bytes if _fits(memory_limit_bytes, 64) else -1,
        )
    )


def get_gc() -> GCSettings:
    """The collector settings in force (``omnirtc_get_gc``): GOGC from the environment or 100 until set."""
    percent, limit = ctypes.c_int32(), ctypes.c_int64()
    _native.check(_native.lib.omnirtc_get_gc(ctypes.byref(percent), ctypes.byref(limit)))
    return GCSettings(percent.value, limit.value)
