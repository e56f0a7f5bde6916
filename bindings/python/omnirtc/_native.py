"""ctypes declarations of include/omnirtc.h and the library loader.

Only this module touches ctypes. Every call goes through :func:`check`, which
turns a failing status into the matching :class:`omnirtc.Error`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path
from typing import Any

from .exceptions import BY_STATUS, Error

c_status = ctypes.c_int32
c_handle = ctypes.c_uint64


class Event(ctypes.Structure):
    """omnirtc_event_t"""

    _fields_ = [
        ("type", ctypes.c_int32),
        ("state", ctypes.c_int32),
        ("peer", c_handle),
        ("channel", c_handle),
        ("text", ctypes.c_char_p),
        ("sdp_mid", ctypes.c_char_p),
        ("sdp_mline_index", ctypes.c_int32),
        ("binary", ctypes.c_int32),
        ("data", ctypes.POINTER(ctypes.c_uint8)),
        ("size", ctypes.c_size_t),
        ("track", c_handle),
        ("transceiver", c_handle),
        ("rid", ctypes.c_char_p),
        ("rtp_timestamp", ctypes.c_uint32),
        ("keyframe", ctypes.c_int32),
        ("value", ctypes.c_int64),
    ]


EVENT_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(Event))
LOG_CB = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int32, ctypes.c_char_p, ctypes.c_char_p)

# omnirtc_event_type_t
ICE_CANDIDATE = 1
ICE_GATHERING_STATE = 2
ICE_CONNECTION_STATE = 3
CONNECTION_STATE = 4
SIGNALING_STATE = 5
NEGOTIATION_NEEDED = 6
DATA_CHANNEL = 7
PEER_CLOSED = 8
CHANNEL_OPEN = 20
CHANNEL_MESSAGE = 21
CHANNEL_BUFFERED_AMOUNT_LOW = 22
CHANNEL_ERROR = 23
CHANNEL_CLOSING = 24
CHANNEL_CLOSE = 25
TRACK = 40
TRACK_RTP = 41
TRACK_FRAME = 42
TRACK_ENDED = 43
KEYFRAME_REQUEST = 44
TARGET_BITRATE = 45

DESCRIPTION_LOCAL, DESCRIPTION_REMOTE = 0, 1


def _find_library() -> str:
    explicit = os.environ.get("OMNIRTC_LIBRARY")
    if explicit:
        return explicit
    bundled = sorted(Path(__file__).parent.glob("libomnirtc.so*"))
    if bundled:
        return str(bundled[0])
    found = ctypes.util.find_library("omnirtc")
    if found:
        return found
    raise ImportError("libomnirtc.so not found: set OMNIRTC_LIBRARY or install the omnirtc wheel")


lib = ctypes.CDLL(_find_library())

_P = ctypes.POINTER
_char_pp = _P(ctypes.c_char_p)
_PROTOTYPES = {
    "omnirtc_version": (ctypes.c_char_p, []),
    "omnirtc_status_string": (ctypes.c_char_p, [c_status]),
    "omnirtc_last_error": (ctypes.c_char_p, []),
    "omnirtc_free": (None, [ctypes.c_void_p]),
    "omnirtc_set_log_callback": (c_status, [ctypes.c_int32, LOG_CB, ctypes.c_void_p]),
    "omnirtc_debug_counters": (c_status, [_P(ctypes.c_void_p)]),
    "omnirtc_generate_certificate": (c_status, [_P(ctypes.c_void_p)]),
    "omnirtc_shutdown": (c_status, []),
    "omnirtc_peer_create": (c_status, [ctypes.c_char_p, EVENT_CB, ctypes.c_void_p, _P(c_handle)]),
    "omnirtc_peer_close": (c_status, [c_handle]),
    "omnirtc_peer_create_offer": (c_status, [c_handle, ctypes.c_char_p, _P(ctypes.c_void_p)]),
    "omnirtc_peer_create_answer": (c_status, [c_handle, ctypes.c_char_p, _P(ctypes.c_void_p)]),
    "omnirtc_peer_set_local_description": (c_status, [c_handle, ctypes.c_char_p, ctypes.c_char_p]),
    "omnirtc_peer_set_remote_description": (c_status, [c_handle, ctypes.c_char_p, ctypes.c_char_p]),
    "omnirtc_peer_get_description": (
        c_status,
        [c_handle, ctypes.c_int32, _P(ctypes.c_void_p), _P(ctypes.c_void_p)],
    ),
    "omnirtc_peer_add_ice_candidate": (c_status, [c_handle, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int32]),
    "omnirtc_peer_restart_ice": (c_status, [c_handle]),
    "omnirtc_peer_get_stats": (c_status, [c_handle, _P(ctypes.c_void_p)]),
    "omnirtc_peer_get_signaling_state": (c_status, [c_handle, _P(ctypes.c_int32)]),
    "omnirtc_peer_get_ice_gathering_state": (c_status, [c_handle, _P(ctypes.c_int32)]),
    "omnirtc_peer_get_ice_connection_state": (c_status, [c_handle, _P(ctypes.c_int32)]),
    "omnirtc_peer_get_connection_state": (c_status, [c_handle, _P(ctypes.c_int32)]),
    "omnirtc_peer_get_gatherings": (c_status, [c_handle, _P(ctypes.c_int64)]),
    "omnirtc_peer_get_max_message_size": (c_status, [c_handle, _P(ctypes.c_uint64)]),
    "omnirtc_channel_create": (c_status, [c_handle, ctypes.c_char_p, ctypes.c_char_p, _P(c_handle)]),
    "omnirtc_channel_send": (c_status, [c_handle, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int32]),
    "omnirtc_channel_get_info": (c_status, [c_handle, _P(ctypes.c_void_p)]),
    "omnirtc_channel_get_ready_state": (c_status, [c_handle, _P(ctypes.c_int32)]),
    "omnirtc_channel_get_buffered_amount": (c_status, [c_handle, _P(ctypes.c_uint64)]),
    "omnirtc_channel_set_buffered_amount_low_threshold": (c_status, [c_handle, ctypes.c_uint64]),
    "omnirtc_channel_get_buffered_amount_low_threshold": (c_status, [c_handle, _P(ctypes.c_uint64)]),
    "omnirtc_channel_set_paused": (c_status, [c_handle, ctypes.c_int32]),
    "omnirtc_channel_close": (c_status, [c_handle]),
    "omnirtc_track_create": (c_status, [ctypes.c_char_p, _P(c_handle)]),
    "omnirtc_track_write_sample": (
        c_status,
        [c_handle, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64],
    ),
    "omnirtc_track_write_rtp": (c_status, [c_handle, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]),
    "omnirtc_track_set_receive": (c_status, [c_handle, ctypes.c_char_p]),
    "omnirtc_track_request_keyframe": (c_status, [c_handle, ctypes.c_int32]),
    "omnirtc_track_request_bitrate": (c_status, [c_handle, ctypes.c_int64]),
    "omnirtc_track_get_info": (c_status, [c_handle, _P(ctypes.c_void_p)]),
    "omnirtc_track_close": (c_status, [c_handle]),
    "omnirtc_peer_add_track": (c_status, [c_handle, c_handle, _P(c_handle)]),
    "omnirtc_peer_add_transceiver": (
        c_status,
        [c_handle, ctypes.c_char_p, c_handle, ctypes.c_char_p, _P(c_handle)],
    ),
    "omnirtc_peer_remove_track": (c_status, [c_handle, c_handle]),
    "omnirtc_transceiver_replace_track": (c_status, [c_handle, c_handle]),
    "omnirtc_transceiver_set_codec_preferences": (c_status, [c_handle, ctypes.c_char_p]),
    "omnirtc_transceiver_get_info": (c_status, [c_handle, _P(ctypes.c_void_p)]),
    "omnirtc_transceiver_stop": (c_status, [c_handle]),
    "omnirtc_media_reader_open": (c_status, [ctypes.c_char_p, ctypes.c_char_p, _P(c_handle), _P(ctypes.c_void_p)]),
    "omnirtc_media_reader_next": (
        c_status,
        [c_handle, _P(ctypes.c_void_p), _P(ctypes.c_size_t), _P(ctypes.c_uint64), _P(ctypes.c_int32)],
    ),
    "omnirtc_media_reader_close": (c_status, [c_handle]),
    "omnirtc_media_writer_open": (c_status, [ctypes.c_char_p, ctypes.c_char_p, _P(c_handle)]),
    "omnirtc_media_writer_write_rtp": (c_status, [c_handle, ctypes.c_char_p, ctypes.c_size_t]),
    "omnirtc_media_writer_close": (c_status, [c_handle]),
}
for _name, (_restype, _argtypes) in _PROTOTYPES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _restype
    _fn.argtypes = _argtypes


def check(status: int) -> None:
    """Raise the Error subclass of a failing status, with the library's message."""
    if status != 0:
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


def call_value(fn: Any, ctype: Any, *args: Any) -> Any:
    """Call a getter whose last parameter is a pointer to ``ctype``."""
    out = ctype()
    check(fn(*args, ctypes.byref(out)))
    return out.value


def encode(text: str, name: str) -> bytes:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be str, not {type(text).__name__}")
    if "\0" in text:
        raise ValueError(f"{name} must not contain NUL characters")
    return text.encode("utf-8")
