"""RTCDTMFSender (webrtc-pc 7): DTMF as RFC 4733 telephone-events on an audio sender.

The library keeps the tone buffer and plays it; ``tonechange`` is emitted
with each tone as it starts and with ``""`` once the buffer has run empty.
Tones the remote sends arrive as the ``dtmf`` event of the remote track,
with the tone and its duration in milliseconds.
"""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING

from . import _native
from .events import EventEmitter

if TYPE_CHECKING:
    from .rtcrtptransceiver import RTCRtpTransceiver


class RTCDTMFSender(EventEmitter):
    """The DTMF sender of an audio :class:`RTCRtpSender` (W3C ``RTCDTMFSender``, webrtc-pc 7.2); emits ``tonechange``.
    The W3C names ``insertDTMF``, ``toneBuffer`` and ``canInsertDTMF`` are aliases of the snake_case ones."""

    def __init__(self, transceiver: RTCRtpTransceiver) -> None:
        """The DTMF sender of ``transceiver``; made by :attr:`RTCRtpSender.dtmf`."""
        super().__init__()
        self._transceiver = transceiver

    def insert_dtmf(self, tones: str, duration: int = 100, inter_tone_gap: int = 70) -> None:
        """Replace the tone buffer with ``tones`` (0-9, A-D, #, * and ',' for a 2 s
        pause, any case); each lasts ``duration`` ms (clamped to 40..6000), ``inter_tone_gap``
        ms apart (clamped to 30..6000). Raises InvalidStateError when
        :attr:`can_insert_dtmf` is False, InvalidCharacterError for another character."""
        _native.check(
            _native.lib.omnirtc_transceiver_insert_dtmf(
                self._transceiver._handle,
                _native.encode(tones, "tones"),
                max(0, min(int(duration), 0xFFFFFFFF)),
                max(0, min(int(inter_tone_gap), 0xFFFFFFFF)),
            )
        )

    def _state(self) -> tuple[str, bool]:
        buffer, can_insert = ctypes.c_void_p(), ctypes.c_int32()
        _native.check(
            _native.lib.omnirtc_transceiver_get_dtmf(
                self._transceiver._handle, ctypes.byref(buffer), ctypes.byref(can_insert)
            )
        )
        return _native.take_string(buffer) or "", bool(can_insert.value)

    @property
    def tone_buffer(self) -> str:
        """The tones not yet started."""
        return self._state()[0]

    @property
    def can_insert_dtmf(self) -> bool:
        """Whether DTMF can be sent: a track, a negotiated send direction, a remote that accepts telephone-event."""
        return self._state()[1]

    # the W3C names
    insertDTMF = insert_dtmf
    toneBuffer = tone_buffer
    canInsertDTMF = can_insert_dtmf
