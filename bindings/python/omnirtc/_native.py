"""The library loader, with the prototypes of include/omnirtc.h (_abi.py,
generated from the header) applied to its functions.

Every call goes through :func:`check`, which turns a failing status into the
matching :class:`omnirtc.Error`.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import Any

from . import _abi, _loader
from .exceptions import BY_STATUS, Error

_library = _loader.find_library(sys.platform, Path(__file__).parent, os.environ)
if sys.platform == "win32" and _library.dll_directory:
    os.add_dll_directory(_library.dll_directory)
lib = ctypes.CDLL(_library.path)

for _name, (_restype, _argtypes) in _abi.PROTOTYPES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _restype
    _fn.argtypes = _argtypes


def check(status: int) -> None:
    """Raise the Error subclass of a failing status, with the library's message."""
    if status != _abi.OMNIRTC_OK:
        message = (lib.omnirtc_last_error() or b"").decode("utf-8", "replace")
        raise BY_STATUS.get(status, Error)(message, status)


def take_string(pointer: ctypes.c_void_p) -> str | None:
    """Copy a library-allocated string and free it; None for NULL."""
    if not pointer.value:
        return None
    try:
        return ctypes.string_at(pointer.value).decode("utf-8")
    finally:
        lib.omnirtc_free(pointer)


def call_string(fn: Any, *args: Any) -> str | None:
    """Call a function whose last parameter is a ``char **`` out-string."""
    out = ctypes.c_void_p()
    check(fn(*args, ctypes.byref(out)))
    return take_string(out)


def call_value(fn: Any, *args: Any) -> Any:
    """Call a getter whose last parameter is a pointer to its result."""
    out = fn.argtypes[-1]._type_()
    check(fn(*args, ctypes.byref(out)))
    return out.value


def encode(text: str, name: str) -> bytes:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be str, not {type(text).__name__}")
    if "\0" in text:
        raise ValueError(f"{name} must not contain NUL characters")
    return text.encode("utf-8")
